/**
 * A round's federated evaluation by shopper segment (history band), read back from the metrics it
 * was stored with (`recall@10:<band>`, `ndcg@10:<band>`, `evaluated:<band>`, server/privacy/segment-release.ts).
 */
import { historyBands, type HistoryBand } from '../../protocol/index.ts';
import { segmentMetricKey } from '../privacy/index.ts';

export interface SegmentEvaluation {
  'recall@10': number;
  'ndcg@10': number;
  /** The band's noised (DP) or exact cohort size, rounded. */
  evaluated: number;
}

export type RoundSegments = Partial<Record<HistoryBand, SegmentEvaluation>>;

/** The bands a round's metrics hold, or undefined when the round released none. */
export function roundSegments(metrics: Record<string, number>): RoundSegments | undefined {
  const segments: RoundSegments = {};
  let any = false;
  for (const band of historyBands) {
    const recall = metrics[segmentMetricKey('recall@10', band)];
    if (recall === undefined) continue;
    segments[band] = { 'recall@10': recall, 'ndcg@10': metrics[segmentMetricKey('ndcg@10', band)] ?? 0, evaluated: metrics[segmentMetricKey('evaluated', band)] ?? 0 };
    any = true;
  }
  return any ? segments : undefined;
}
