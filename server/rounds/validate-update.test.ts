import { expect } from 'chai';
import { addCounts, sampledCountBound } from '../../protocol/index.ts';
import { RoundAggregate } from './round-aggregate.ts';
import { UpdateRejection, validateUpdate, type OpenRound } from './validate-update.ts';

/** A sum whose values throw when read: an update refused on its header must never touch them. */
class UntouchableSum extends Uint8Array {
  override get byteLength(): number {
    throw new Error('the sum was read');
  }
}

const round = (overrides: Partial<OpenRound> = {}): OpenRound => ({
  jobId: 'job',
  round: 2,
  modelVersion: 7,
  modelSize: 4,
  samplingRate: 0.1,
  nonces: new Map([['c1', 'n1']]),
  populations: new Map([['c1', 1000]]),
  answered: new Set(),
  spentNonces: new Set(['old']),
  clipNorm: 1,
  evaluationBaselines: false,
  ...overrides,
});

const update = (overrides: Record<string, unknown> = {}) => ({
  jobId: 'job',
  round: 2,
  modelVersion: 7,
  nonce: 'n1',
  sum: new Uint8Array(new Float32Array([0.1, 0.1, 0, 0]).buffer),
  shoppers: 100,
  examples: 300,
  unclipped: 90,
  lossSum: 12,
  ...overrides,
});

function reason(raw: unknown, open: OpenRound = round()): string {
  try {
    validateUpdate('c1', raw, open);
  } catch (thrown) {
    if (thrown instanceof UpdateRejection) return thrown.reason;
    throw thrown;
  }
  return 'accepted';
}

describe('validateUpdate', () => {
  it('accepts an update within every bound', () => {
    expect(reason(update())).to.equal('accepted');
  });

  it('refuses on the header, the nonce and the size before it reads a single value of the sum (O(1))', () => {
    const sum = new UntouchableSum(16);
    expect(reason(update({ sum, jobId: 'other' }))).to.equal('stale-update');
    expect(reason(update({ sum, round: 1 }))).to.equal('stale-update');
    expect(reason(update({ sum, nonce: 'old' }))).to.equal('replayed-update');
    expect(reason(update({ sum, nonce: 'forged' }))).to.equal('wrong-nonce');
    expect(reason(update({ sum }), round({ answered: new Set(['c1']) }))).to.equal('duplicate-update');
    expect(reason(update({ sum, shoppers: 1.5 }))).to.equal('update-invalid');
    expect(reason(update({ sum: new Uint8Array(12) }))).to.equal('wrong-size');
  });

  it('holds every count to the registered population and q, never to the claim', () => {
    // Population 1,000 at q = 0.1: 100 expected; Bernstein's bound at 1e-12 is 184.
    expect(sampledCountBound(1000, 0.1)).to.equal(184);
    expect(reason(update({ shoppers: 184, unclipped: 0 }))).to.equal('accepted');
    expect(reason(update({ shoppers: 185, unclipped: 0 }))).to.equal('count-implausible');
    expect(reason(update({ shoppers: 1001, unclipped: 0 }))).to.equal('count-above-population');
    expect(reason(update({ shoppers: Number.MAX_SAFE_INTEGER }))).to.equal('count-above-population');
    expect(reason(update({ shoppers: 2 ** 60 }))).to.equal('update-invalid');
    expect(reason(update({ unclipped: 101 }))).to.equal('unclipped-above-sampled');
    expect(reason(update(), round({ populations: new Map() })), 'an unregistered population is 0').to.equal('count-above-population');
    expect(reason(update({ evaluation: { recall: 5, ndcg: 1, shoppers: 4 } }))).to.equal('evaluation-invalid');
    expect(reason(update({ evaluation: { recall: 1, ndcg: 5, shoppers: 4 } }))).to.equal('evaluation-invalid');
    expect(reason(update({ evaluation: { recall: 0, ndcg: 0, shoppers: 1001 } }))).to.equal('evaluation-invalid');
    expect(reason(update({ evaluation: { recall: 4, ndcg: 4, shoppers: 4 } }))).to.equal('accepted');
    // The baselines' sums: each at most the shoppers evaluated, finite, non-negative, and present exactly when asked.
    const withBaselines = round({ evaluationBaselines: true });
    const baselines = (popularity: [number, number], repeat: [number, number]) => ({ popularity: { recall: popularity[0], ndcg: popularity[1] }, repeat: { recall: repeat[0], ndcg: repeat[1] } });
    const evaluated = (b: unknown) => update({ evaluation: { recall: 2, ndcg: 1, shoppers: 4, baselines: b } });
    expect(reason(evaluated(baselines([4, 4], [4, 4])), withBaselines)).to.equal('accepted');
    expect(reason(evaluated(baselines([4.5, 1], [1, 1])), withBaselines)).to.equal('evaluation-invalid');
    expect(reason(evaluated(baselines([1, 1], [1, 4.001])), withBaselines)).to.equal('evaluation-invalid');
    expect(reason(evaluated(baselines([-1, 1], [1, 1])), withBaselines)).to.equal('update-invalid');
    expect(reason(evaluated(baselines([1, Infinity], [1, 1])), withBaselines)).to.equal('update-invalid');
    expect(reason(evaluated(baselines([1, 1], [Number.NaN, 1])), withBaselines)).to.equal('update-invalid');
    expect(reason(evaluated({ popularity: { recall: 1, ndcg: 1 } }), withBaselines), 'one baseline missing').to.equal('update-invalid');
    expect(reason(evaluated(undefined), withBaselines), 'asked, not sent').to.equal('evaluation-invalid');
    expect(reason(evaluated(baselines([1, 1], [1, 1]))), 'sent, not asked').to.equal('evaluation-invalid');
    // Per-segment sums (issue 14 point 4): released in place of the overall ones, so checked as hard.
    const evaluation = { recall: 3, ndcg: 2, shoppers: 4 };
    const segments = (evaluationSegments: unknown) => update({ evaluation, evaluationSegments });
    expect(reason(segments({ new: { recall: 0, ndcg: 0, shoppers: 1 }, regular: { recall: 3, ndcg: 2, shoppers: 3 } }))).to.equal('accepted');
    expect(reason(segments({ new: { recall: 2, ndcg: 0, shoppers: 1 }, regular: { recall: 1, ndcg: 2, shoppers: 3 } })), 'recall above its band').to.equal('evaluation-invalid');
    expect(reason(segments({ new: { recall: 0, ndcg: 1.5, shoppers: 1 }, regular: { recall: 3, ndcg: 0.5, shoppers: 3 } })), 'ndcg above its band').to.equal('evaluation-invalid');
    expect(reason(segments({ new: { recall: 0, ndcg: 0, shoppers: 2 }, regular: { recall: 3, ndcg: 2, shoppers: 3 } })), 'bands count 5 of 4').to.equal('evaluation-invalid');
    expect(reason(segments({ regular: { recall: 3, ndcg: 2, shoppers: 3 } })), 'bands count 3 of 4').to.equal('evaluation-invalid');
    expect(reason(update({ evaluationSegments: { new: { recall: 0, ndcg: 0, shoppers: 0 } } })), 'segments without the evaluation').to.equal('evaluation-invalid');
    expect(reason(segments({ vip: { recall: 3, ndcg: 2, shoppers: 4 } })), 'an unknown segment').to.equal('update-invalid');
    expect(reason(segments({ regular: { recall: -1, ndcg: 2, shoppers: 4 } })), 'a negative sum').to.equal('update-invalid');
    expect(reason(segments({ regular: { recall: Infinity, ndcg: 2, shoppers: 4 } })), 'a non-finite sum').to.equal('update-invalid');
    expect(reason(segments({ regular: { recall: Number.NaN, ndcg: 2, shoppers: 4 } })), 'NaN').to.equal('update-invalid');
    expect(reason(segments({ regular: { recall: 3, ndcg: 2, shoppers: 3.5 } })), 'a fractional count').to.equal('update-invalid');
    // Both at once: the bands split the model's sums, the baselines stay overall (each ≤ the cohort's 4).
    expect(reason(update({ evaluation: { ...evaluation, baselines: baselines([4, 3], [2, 1]) }, evaluationSegments: { new: { recall: 0, ndcg: 0, shoppers: 1 }, regular: { recall: 3, ndcg: 2, shoppers: 3 } } }), withBaselines), 'bands with baselines').to.equal('accepted');
    // A band carries the model's sums only: baselines inside a band would be unaccounted, so the schema refuses them.
    expect(reason(update({ evaluation: { ...evaluation, baselines: baselines([1, 1], [1, 1]) }, evaluationSegments: { regular: { recall: 3, ndcg: 2, shoppers: 4, baselines: baselines([1, 1], [1, 1]) } } }), withBaselines), 'baselines inside a band').to.equal('update-invalid');
    // Each shopper's loss is clipped to [0, shopperLossBound] (8): 100 sampled shoppers sum to at most 800.
    expect(reason(update({ lossSum: 800 }))).to.equal('accepted');
    expect(reason(update({ lossSum: 800.5 }))).to.equal('loss-sum-invalid');
    expect(reason(update({ lossSum: -1 }))).to.equal('update-invalid');
  });

  it('bounds the sum by shoppers × C with DP, by examples × the weight bound without', () => {
    const big = new Uint8Array(new Float32Array([60, 80, 0, 0]).buffer); // norm 100
    expect(reason(update({ sum: big, shoppers: 99, unclipped: 0 }))).to.equal('norm-anomaly');
    expect(reason(update({ sum: big, shoppers: 100, unclipped: 0 }))).to.equal('accepted');
    const huge = new Uint8Array(new Float32Array([3.4e38, 0, 0, 0]).buffer);
    expect(reason(update({ sum: huge }), round({ clipNorm: undefined }))).to.equal('norm-bound');
    expect(reason(update({ sum: new Uint8Array(new Float32Array([Number.NaN, 0, 0, 0]).buffer) }))).to.equal('non-finite-update');
  });

  it('the refusal of a genuine answer uses up the answer; one that is not the client\'s answer does not', () => {
    const refusal = (raw: unknown): UpdateRejection => {
      try {
        validateUpdate('c1', raw, round());
      } catch (thrown) {
        return thrown as UpdateRejection;
      }
      throw new Error('accepted');
    };
    expect(refusal(update({ nonce: 'forged' })).usesAnswer).to.equal(false);
    expect(refusal(update({ shoppers: 5000 })).usesAnswer).to.equal(true);
    expect(refusal(update({ shoppers: 5000 })).message).to.match(/^count-above-population: /);
  });
});

describe('checked count arithmetic', () => {
  it('refuses a sum of counts that is no longer exact, and leaves the aggregate untouched', () => {
    expect(addCounts(2, 3)).to.equal(5);
    expect(() => addCounts(Number.MAX_SAFE_INTEGER, 1)).to.throw(RangeError);
    const aggregate = new RoundAggregate(2);
    aggregate.add({ ...update(), sum: new Float32Array([1, 1]), shoppers: Number.MAX_SAFE_INTEGER } as never);
    expect(() => aggregate.add({ ...update(), sum: new Float32Array([1, 1]), shoppers: 1 } as never)).to.throw(RangeError);
    expect([...aggregate.sum]).to.deep.equal([1, 1]);
    expect(aggregate.clients).to.equal(1);
  });
});
