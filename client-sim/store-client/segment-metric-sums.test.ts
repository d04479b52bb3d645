import { expect } from 'chai';
import fc from 'fast-check';
import type { HeldOutShopper } from '../../models/data/leave-last-out.ts';
import { metricSums } from '../../models/evaluation/evaluate-ranker.ts';
import type { Ranker } from '../../models/evaluation/ranker.ts';
import { historyBand, historyBands } from '../../protocol/index.ts';
import { segmentMetricSums, type SegmentMetricSums } from './segment-metric-sums.ts';

/** Ranks items 0..k−1 whatever the query: a shopper's recall depends only on their targets. */
const fixedRanker: Ranker = { name: 'fixed', rank: (_query, k) => Array.from({ length: k }, (_, i) => i) };

const shopperArb = fc.record({ history: fc.array(fc.nat(40), { maxLength: 30 }), targets: fc.array(fc.nat(25), { minLength: 1, maxLength: 3 }) });
const cohortArb = fc.array(shopperArb, { maxLength: 40 }).map((xs) => xs.map((x, i): HeldOutShopper => ({ shopper: i, store: 0, ...x })));

const flat = (s: SegmentMetricSums): number[] => historyBands.flatMap((b) => [s[b]?.recall ?? 0, s[b]?.ndcg ?? 0, s[b]?.shoppers ?? 0]);

describe('per-segment evaluation sums on the store client', () => {
  it('puts each shopper in the band of the purchases the model reads, and the bands add up to metricSums', () => {
    expect([0, 1, 5, 6, 20].map(historyBand)).to.deep.equal(['new', 'occasional', 'occasional', 'regular', 'regular']);
    fc.assert(
      fc.property(cohortArb, (cohort) => {
        const segments: SegmentMetricSums = {};
        const overall = segmentMetricSums(fixedRanker, cohort, 4, segments);
        const exact = metricSums(fixedRanker, cohort, 10);
        expect(overall.shoppers).to.equal(exact.shoppers);
        expect(overall.recall).to.be.closeTo(exact.recall, 1e-9);
        expect(overall.ndcg).to.be.closeTo(exact.ndcg, 1e-9);
        // historyLength 4: the model reads at most 4 purchases, so nobody is 'regular'.
        expect(segments.regular).to.equal(undefined);
        expect(segments.new?.shoppers ?? 0).to.equal(cohort.filter((s) => s.history.length === 0).length);
      }),
    );
  });

  it('one shopper more moves the 9 band sums by at most √3 in L2 (the sensitivity the release is noised for)', () => {
    fc.assert(
      fc.property(cohortArb, shopperArb, (cohort, extra) => {
        const without: SegmentMetricSums = {};
        const withOne: SegmentMetricSums = {};
        segmentMetricSums(fixedRanker, cohort, 20, without);
        segmentMetricSums(fixedRanker, [...cohort, { shopper: 999, store: 0, ...extra }], 20, withOne);
        const a = flat(without);
        const b = flat(withOne);
        const moved = b.map((v, i) => v - a[i]);
        expect(moved.filter((d) => Math.abs(d) > 1e-12).length, 'parts of one band only').to.be.at.most(3);
        expect(Math.hypot(...moved)).to.be.at.most(Math.sqrt(3) + 1e-9);
      }),
    );
  });
});
