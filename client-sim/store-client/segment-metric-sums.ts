/**
 * Federated evaluation sums split by history band (issue 14 point 4): the same recall@10 and
 * NDCG@10 sums `metricSums` computes, kept per band of how many past purchases the model reads
 * (`historyBand`, the merchant view's segments). The model reads the last `historyLength`
 * purchases (`ConceptScorer`), and every held-out purchase is of an item the store's model knows,
 * so the history read is min(history length, historyLength), as `recommend` counts it when serving.
 */
import type { HeldOutShopper } from '../../models/data/leave-last-out.ts';
import { metricSums, type MetricSums } from '../../models/evaluation/evaluate-ranker.ts';
import type { Ranker } from '../../models/evaluation/ranker.ts';
import { historyBand, historyBands, type HistoryBand } from '../../protocol/index.ts';

export type SegmentMetricSums = Partial<Record<HistoryBand, MetricSums>>;

/**
 * Adds each shopper's recall and NDCG to their band in `into` and returns the slice's overall sums
 * (the bands' sums), ranking each shopper once.
 *
 * @example const overall = segmentMetricSums(ranker, cohort, 20, segments);
 */
export function segmentMetricSums(ranker: Ranker, cohort: readonly HeldOutShopper[], historyLength: number, into: SegmentMetricSums): MetricSums {
  const overall: MetricSums = { recall: 0, ndcg: 0, shoppers: 0 };
  for (const band of historyBands) {
    const members = cohort.filter((shopper) => historyBand(Math.min(shopper.history.length, historyLength)) === band);
    if (members.length === 0) continue;
    const part = metricSums(ranker, members, 10);
    const sums = (into[band] ??= { recall: 0, ndcg: 0, shoppers: 0 });
    sums.recall += part.recall;
    sums.ndcg += part.ndcg;
    sums.shoppers += part.shoppers;
    overall.recall += part.recall;
    overall.ndcg += part.ndcg;
    overall.shoppers += part.shoppers;
  }
  return overall;
}
