import { expect } from 'chai';
import { poissonSample } from './poisson-sample.ts';
import { SeededRandomSource } from './secure-random.ts';

describe('poissonSample', () => {
  for (const [n, q] of [
    [1_000_000, 0.01],
    [100_000, 0.3],
    [200_000, 0.95],
  ] as const) {
    it(`includes a fraction q = ${q} of ${n} shoppers, uniformly over the indices`, () => {
      const included = poissonSample(n, q, new SeededRandomSource(`poisson-${q}`));
      // The count is Binomial(n, q): 5 standard errors √(q(1−q)/n) around q.
      const se = Math.sqrt((q * (1 - q)) / n);
      expect(Math.abs(included.length / n - q)).to.be.below(5 * se);
      // The first and second halves are independent Binomial(n/2, q): same check, √2 wider SE.
      const firstHalf = included.filter((i) => i < n / 2).length / (n / 2);
      expect(Math.abs(firstHalf - q)).to.be.below(5 * se * Math.SQRT2);
      // Strictly increasing indices inside [0, n): no shopper twice.
      expect(included.every((index, k) => index >= 0 && index < n && (k === 0 || index > included[k - 1]))).to.equal(true);
    });
  }

  it('has the geometric gaps of independent trials: P(i+1 included | i included) = q', () => {
    const n = 500_000;
    const q = 0.2;
    const set = new Set(poissonSample(n, q, new SeededRandomSource('pairs')));
    let pairs = 0;
    for (const i of set) if (set.has(i + 1)) pairs++;
    const p = pairs / set.size; // ≈ q, binomial over ~1e5 trials
    expect(Math.abs(p - q)).to.be.below(5 * Math.sqrt((q * (1 - q)) / set.size));
  });

  it('is exact at the ends: q = 0 takes nobody, q = 1 everybody', () => {
    expect(poissonSample(1000, 0)).to.deep.equal([]);
    expect(poissonSample(5, 1)).to.deep.equal([0, 1, 2, 3, 4]);
    expect(poissonSample(0, 0.5)).to.deep.equal([]);
  });

  it('is reproducible with a seeded source', () => {
    const draw = (): number[] => poissonSample(10_000, 0.05, new SeededRandomSource(1));
    expect(draw()).to.deep.equal(draw());
  });

  it('rejects bad n and q', () => {
    for (const [n, q] of [[-1, 0.1], [1.5, 0.1], [10, -0.1], [10, 1.1], [10, NaN]]) {
      expect(() => poissonSample(n, q)).to.throw(RangeError);
    }
  });
});
