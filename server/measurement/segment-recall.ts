/**
 * Recall@10 by shopper segment for the fairness report (issue 14 point 4), from the serving
 * version's job's DP federated evaluation: the per-band figures its rounds released
 * (server/privacy/segment-release.ts), read back from the stored round metrics (post-processing:
 * no ε). Which round: the latest round at or before the version's round that released bands — the
 * rule the recall@10 promotion gate uses for the overall figure — not a mean over rounds, since
 * earlier rounds evaluated earlier models than the one serving.
 *
 * The largest gap between segments (highest minus lowest recall@10) is reported beside the
 * exposure report's largest gap, not merged into it: one is a difference of recall, the other of
 * exposure shares, and naming one "largest" across both units would compare unlike things.
 */
import { historyBands, type HistoryBand } from '../../protocol/index.ts';
import { roundSegments } from '../rounds/round-segments.ts';
import type { FedrecStore, ModelVersionRecord } from '../store/index.ts';

export interface SegmentRecall {
  segment: HistoryBand;
  'recall@10': number;
  'ndcg@10': number;
  /** The segment's evaluated cohort, as released (noised with DP). */
  evaluated: number;
}

export type SegmentsReport =
  | { available: false; reason: string }
  | {
      available: true;
      source: 'dp-federated-evaluation' | 'federated-evaluation';
      version: number;
      jobId: string;
      round: number;
      segments: SegmentRecall[];
      /** Highest minus lowest recall@10 across the segments. */
      largestGap: { highest: HistoryBand; lowest: HistoryBand; gap: number };
    };

/** @example await segmentRecall(store, servingRecord) */
export async function segmentRecall(store: Pick<FedrecStore, 'listRounds'>, serving: (Pick<ModelVersionRecord, 'version' | 'jobId' | 'round' | 'epsilon'>) | null): Promise<SegmentsReport> {
  if (!serving) return { available: false, reason: 'no model version is serving' };
  if (serving.jobId === null) return { available: false, reason: `serving version ${serving.version} was not trained by a job, so never evaluated` };
  const rounds = (await store.listRounds(serving.jobId)).filter((r) => r.round <= serving.round && roundSegments(r.metrics) !== undefined);
  const latest = rounds[rounds.length - 1];
  if (!latest) return { available: false, reason: `job ${serving.jobId} released no evaluation by shopper segment up to round ${serving.round}` };
  const bands = roundSegments(latest.metrics)!;
  const segments = historyBands.flatMap((segment) => (bands[segment] ? [{ segment, ...bands[segment] }] : []));
  let highest = segments[0];
  let lowest = segments[0];
  for (const s of segments) {
    if (s['recall@10'] > highest['recall@10']) highest = s;
    if (s['recall@10'] < lowest['recall@10']) lowest = s;
  }
  return {
    available: true,
    source: serving.epsilon === null ? 'federated-evaluation' : 'dp-federated-evaluation',
    version: serving.version,
    jobId: serving.jobId,
    round: latest.round,
    segments,
    largestGap: { highest: highest.segment, lowest: lowest.segment, gap: highest['recall@10'] - lowest['recall@10'] },
  };
}
