import { expect } from 'chai';
import { standardNormal } from './gaussian-noise.ts';
import { SeededRandomSource } from './secure-random.ts';

/**
 * Statistical checks on n = 200,000 draws with a fixed seed. Every tolerance is 5 standard errors
 * of the statistic under the null hypothesis "these are N(0, std²) draws", so a correct sampler
 * fails with probability < 1e-6 for a random seed, and a sampler that is off by a few percent
 * in scale fails for sure (5 SE of the sample std is 0.8%).
 */
const N = 200_000;
const SE_MEAN = 1 / Math.sqrt(N); // SE of the sample mean, in units of std
const SE_STD = 1 / Math.sqrt(2 * N); // SE of the sample std (normal data), in units of std

function moments(xs: Float32Array): { mean: number; std: number } {
  let sum = 0;
  for (const x of xs) sum += x;
  const mean = sum / xs.length;
  let squares = 0;
  for (const x of xs) squares += (x - mean) ** 2;
  const std = Math.sqrt(squares / (xs.length - 1));
  return { mean, std };
}

describe('fillGaussian', () => {
  for (const std of [1, 0.037, 250]) {
    it(`draws N(0, ${std}²): mean, std and the one-sigma mass within 5 standard errors`, () => {
      const out = new SeededRandomSource(`gaussian-${std}`).fillGaussian(new Float32Array(N), std);
      const { mean, std: sampleStd } = moments(out);
      expect(Math.abs(mean) / std).to.be.below(5 * SE_MEAN);
      expect(Math.abs(sampleStd / std - 1)).to.be.below(5 * SE_STD);
      // Shape, not only scale: P(|X| < std) = erf(1/√2) = 0.682689…, binomial SE √(p(1−p)/N).
      const p = 0.6826894921370859;
      const inside = out.reduce((count, x) => count + (Math.abs(x) < std ? 1 : 0), 0) / N;
      expect(Math.abs(inside - p)).to.be.below(5 * Math.sqrt((p * (1 - p)) / N));
    });
  }

  it('overwrites what was there, and std 0 gives zeros', () => {
    const out = new Float32Array(10).fill(7);
    new SeededRandomSource('zeros').fillGaussian(out, 0);
    expect(out.every((x) => x === 0)).to.equal(true);
  });

  it('fills odd lengths completely', () => {
    const out = new Float32Array(7).fill(NaN);
    new SeededRandomSource('odd').fillGaussian(out, 1);
    expect(out.every((x) => Number.isFinite(x))).to.equal(true);
  });

  it('rejects a negative or non-finite std', () => {
    const source = new SeededRandomSource('bad');
    for (const std of [-1, NaN, Infinity]) {
      expect(() => source.fillGaussian(new Float32Array(2), std)).to.throw(RangeError);
    }
  });
});

describe('addGaussian', () => {
  it('adds the noise fillGaussian would draw from the same stream, rounding once', () => {
    const base = Float32Array.from({ length: 1001 }, (_, i) => i - 500);
    const noisy = new SeededRandomSource('add').addGaussian(base.slice(), 3);
    const noise = new SeededRandomSource('add').fillGaussian(new Float32Array(1001), 3);
    // fillGaussian's noise was itself rounded to float32, so allow two float32 roundings (2 · 2⁻²⁴ relative).
    noisy.forEach((x, i) => expect(Math.abs(x - (base[i] + noise[i]))).to.be.at.most(2 ** -23 * Math.abs(x) + 1e-30));
  });
});

describe('standardNormal', () => {
  it('has mean 0 and std 1 within 5 standard errors', () => {
    const source = new SeededRandomSource('scalar');
    const xs = Float32Array.from({ length: N }, () => standardNormal(source));
    const { mean, std } = moments(xs);
    expect(Math.abs(mean)).to.be.below(5 * SE_MEAN);
    expect(Math.abs(std - 1)).to.be.below(5 * SE_STD);
  });
});
