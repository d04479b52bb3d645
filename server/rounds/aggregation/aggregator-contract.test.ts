/**
 * One contract suite for every aggregation rule (the plain sum, coordinate-wise median, trimmed
 * mean), then what only the robust rules promise, and their DP sensitivity: a property test that
 * replacing one client's sum by another within C moves the output by at most `sensitivity(C)`, and
 * that the noise drawn is σ times that.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { expectClose } from '../../privacy/expect-close.ts';
import { SeededRandomSource } from '../../privacy/index.ts';
import { RoundAggregate } from '../round-aggregate.ts';
import type { ValidUpdate } from '../validate-update.ts';
import { createAggregator, type AggregationConfig } from './aggregator.ts';

const rules: AggregationConfig[] = [{ rule: 'sum' }, { rule: 'median' }, { rule: 'trimmed-mean', trimFraction: 0.2 }];

async function combine(config: AggregationConfig, sums: number[][]): Promise<Float64Array> {
  const aggregator = createAggregator(config, sums[0].length);
  for (const s of sums) aggregator.add(Float32Array.from(s));
  return aggregator.combine();
}

const l2 = (a: ArrayLike<number>, b: ArrayLike<number>): number => Math.sqrt(Array.from(a).reduce((sum, v, i) => sum + (v - b[i]) ** 2, 0));

/** float32-representable values, so the sums the rules see are the ones the test reasons about. */
const value = fc.float({ min: -10, max: 10, noNaN: true, noDefaultInfinity: true }).map(Math.fround);

for (const config of rules) {
  describe(`aggregation contract: ${config.rule}`, () => {
    it('gives n × s when every one of n clients sends the same sum s', async () => {
      const s = [0.5, -2, 3.25, 0];
      const out = await combine(config, [s, s, s, s, s]);
      out.forEach((v, i) => expectClose(v, 5 * s[i], { absolute: 1e-9, label: `coordinate ${i}` }));
    });

    it('returns one client’s sum unchanged when it is the only one', async () => {
      expect(Array.from(await combine(config, [[1, -1, 0.25]]))).to.deep.equal([1, -1, 0.25]);
    });

    it('does not depend on the order the sums arrive in', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(fc.array(value, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 9 }), async (sums) => {
          const forward = await combine(config, sums);
          const backward = await combine(config, [...sums].reverse());
          forward.forEach((v, i) => expectClose(v, backward[i], { absolute: 1e-9, label: `coordinate ${i}` }));
        }),
        { seed: 15, numRuns: 100 },
      );
    });

    it('refuses a sum of another length, naming both', () => {
      const aggregator = createAggregator(config, 3);
      expect(() => aggregator.add(new Float32Array(2))).to.throw(/update has 2 values, the sum has 3/);
      expect(aggregator.clients).to.equal(0);
    });

    it('states its DP sensitivity: replacing one client’s sum by another within C moves the output by ≤ sensitivity(C)', async () => {
      const clipNorm = 1;
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.array(value, { minLength: 4, maxLength: 4 }), { minLength: 1, maxLength: 12 }),
          fc.nat(),
          fc.array(fc.float({ min: -1, max: 1, noNaN: true }), { minLength: 4, maxLength: 4 }),
          async (sums, pick, direction) => {
            const j = pick % sums.length;
            const norm = Math.sqrt(direction.reduce((s, v) => s + v * v, 0));
            // Δ with ‖Δ‖₂ ≤ C, as one shopper's clipped update added to (or removed from) client j's sum.
            const delta = direction.map((v) => (norm > clipNorm ? (v / norm) * clipNorm * 0.999 : v));
            const changed = sums.map((s, k) => (k === j ? s.map((v, i) => Math.fround(v + delta[i])) : s));
            const aggregator = createAggregator(config, 4);
            sums.forEach((s) => aggregator.add(Float32Array.from(s)));
            const moved = l2(await aggregator.combine(), await combine(config, changed));
            // float32 rounding of the changed sum adds up to one ulp at 10 per coordinate.
            expect(moved).to.be.at.most(aggregator.sensitivity(clipNorm) * (1 + 1e-6) + 1e-5);
          },
        ),
        { seed: 15, numRuns: 300 },
      );
    });

    it('draws N(0, (σ · sensitivity)²) noise on its output (the accountant’s σ is unchanged)', async () => {
      const size = 50_000;
      const n = 5;
      const aggregate = new RoundAggregate(size, config);
      const update = (): ValidUpdate => ({ jobId: 'j', round: 1, modelVersion: 0, nonce: 'n', sum: new Float32Array(size), shoppers: 1, examples: 1, unclipped: 1, lossSum: 0 });
      for (let k = 0; k < n; k++) aggregate.add(update());
      const random = new SeededRandomSource(`noise-${config.rule}`);
      const sensitivity = aggregate.aggregator.sensitivity(0.5);
      if (aggregate.aggregator.streams) await aggregate.addNoise(1.3 * sensitivity, random);
      const out = await aggregate.combine({ noiseMultiplier: 1.3, clipNorm: 0.5, random });
      const std = Math.sqrt(out.reduce((s, v) => s + v * v, 0) / size);
      // Standard error of a sample std over 50,000 draws: std / √(2n) ≈ 0.3%; allow ~5 of those.
      expectClose(std, 1.3 * sensitivity, { relative: 0.015, label: `${config.rule} noise std` });
      expect(sensitivity).to.equal({ sum: 0.5, median: n * 0.5, 'trimmed-mean': (n * 0.5) / (n - 2) }[config.rule]);
    });
  });
}

describe('robust aggregation rules', () => {
  it('hold every client’s sum (clients × size × 4 bytes); the plain sum holds one float64 sum', () => {
    for (const config of rules) {
      const aggregator = createAggregator(config, 1000);
      for (let k = 0; k < 7; k++) aggregator.add(new Float32Array(1000));
      expect(aggregator.heldBytes(), config.rule).to.equal(config.rule === 'sum' ? 8000 : 7 * 1000 * 4);
    }
  });

  it('keep a poisoned minority from dragging the output: 1 of 5 clients at ±1e4', async () => {
    const honest = [[1, 2], [1.1, 2.1], [0.9, 1.9], [1.05, 2.05]];
    for (const poison of [[1e4, -1e4], [-1e4, 1e4]]) {
      const sum = await combine({ rule: 'sum' }, [...honest, poison]);
      expect(Math.abs(sum[0])).to.be.greaterThan(1000);
      for (const config of rules.slice(1)) {
        const out = await combine(config, [...honest, poison]);
        // Within n × the honest range of each coordinate.
        expect(out[0] / 5).to.be.within(0.9, 1.1);
        expect(out[1] / 5).to.be.within(1.9, 2.1);
      }
    }
  });

  it('the median’s bound is attained: moving the middle client by δ moves the output by n·δ', async () => {
    const before = await combine({ rule: 'median' }, [[0], [1], [2]]);
    const after = await combine({ rule: 'median' }, [[0], [1.5], [2]]);
    expect(after[0] - before[0]).to.equal(1.5);
  });

  it('trim floor(β·n) from each end: β = 0.2 of 10 clients drops the 2 largest and 2 smallest', async () => {
    const out = await combine({ rule: 'trimmed-mean', trimFraction: 0.2 }, [[-100], [-50], [1], [2], [3], [4], [5], [6], [50], [100]]);
    expect(out[0]).to.equal((10 * (1 + 2 + 3 + 4 + 5 + 6)) / 6);
  });

  it('yield to the event loop while combining 1,000 sums, so sockets keep flowing', async () => {
    const aggregator = createAggregator({ rule: 'median' }, 4_000);
    for (let k = 0; k < 1000; k++) aggregator.add(new Float32Array(4_000).fill(k));
    let turns = 0;
    const ticking = setInterval(() => turns++, 1);
    const out = await aggregator.combine();
    clearInterval(ticking);
    expect(out[0]).to.equal(1000 * 499.5);
    expect(turns).to.be.greaterThan(3);
  });
});
