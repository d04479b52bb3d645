/**
 * Federated recall@10 and NDCG@10 by shopper segment (issue 14 point 4), released with DP at no
 * extra ε.
 *
 * Decision: when every evaluating client split its evaluation by history band (`historyBand`:
 * new / occasional / regular), the round releases ONLY the per-band model sums — recall, NDCG and
 * count for each of the 3 bands, each + N(0, m²) — and the overall sums are derived as the bands' sums
 * (post-processing, Dwork & Roth 2014, Prop. 2.1). Each shopper is in exactly one band, so one
 * shopper changes at most the 3 parts of their own band, each by at most 1: the 9-part vector has
 * L2 sensitivity √3 per shopper, the same as the overall (recall, NDCG, count) vector.
 *
 * The baselines (metric-release.ts, on by default) stay overall sums — popularity and repeat
 * recall and NDCG, 4 parts — released beside the bands in the same vector query. One shopper thus
 * touches their band's 3 parts + the 4 baseline parts = 7 parts of sensitivity 1, std m on each:
 * the Gaussian mechanism with σ = m / √7 (m / √3 without baselines) — exactly the evaluation
 * release the accountant already records (`evaluationNoiseMultiplier(m, baselines)`,
 * `roundReleases`). ε is unchanged by the bands. The cost is accuracy: the derived overall sums
 * carry the noise of 3 bands, N(0, 3m²) instead of N(0, m²), and the baselines' means divide by
 * that derived count.
 *
 * Releasing the bands AND the overall sums would make each shopper touch 6 parts (10 with the
 * baselines): σ = m / √6 (m / √10), a larger ε for the same m. A round where some evaluating
 * client sent no split releases the overall sums as before and no band (the choice depends on
 * what the clients sent, not on any shopper's data, and both releases have the same σ).
 */
import { standardNormal, historyBands, type HistoryBand, type RandomSource } from '../../protocol/index.ts';
import { noiseBaselineSums, type BaselineName, type MetricPrivacy, type RoundMetricSums } from './metric-release.ts';

export interface BandSums {
  recall: number;
  ndcg: number;
  shoppers: number;
}

export type SegmentSums = Record<HistoryBand, BandSums>;

/** The metric key a band's figure is stored under with the round's metrics, e.g. `recall@10:new`. */
export function segmentMetricKey(metric: 'recall@10' | 'ndcg@10' | 'evaluated', band: HistoryBand): string {
  return `${metric}:${band}`;
}

/**
 * N(0, m²) on each band's recall sum, NDCG sum and count, every band drawn (an empty band too, so
 * what is released never depends on which bands had shoppers). Draws are float64.
 *
 * @example noiseSegmentSums(aggregate.completeSegments()!, privacy, random)
 */
export function noiseSegmentSums(sums: SegmentSums, privacy: Pick<MetricPrivacy, 'metricNoiseMultiplier'>, random: RandomSource): SegmentSums {
  const m = privacy.metricNoiseMultiplier;
  const noised = {} as SegmentSums;
  for (const band of historyBands) {
    const { recall, ndcg, shoppers } = sums[band];
    noised[band] = { recall: recall + m * standardNormal(random), ndcg: ndcg + m * standardNormal(random), shoppers: shoppers + m * standardNormal(random) };
  }
  return noised;
}

/**
 * The whole evaluation query of a segmented round: N(0, m²) on the 9 band parts and, when the job
 * evaluates them, on the 4 overall baseline sums; the overall model sums are the noised bands' sums
 * (no noise of their own, nothing more released). A shopper touches 3 + 4 = 7 parts, the σ_eval =
 * m / √7 the accountant records (m / √3 without baselines).
 *
 * @example const { evaluation, segments } = noiseSegmentedEvaluation(aggregate.completeSegments()!, aggregate.evaluation.baselines, privacy, random);
 */
export function noiseSegmentedEvaluation(
  sums: SegmentSums,
  baselines: Record<BaselineName, { recall: number; ndcg: number }> | undefined,
  privacy: Pick<MetricPrivacy, 'metricNoiseMultiplier'>,
  random: RandomSource,
): { evaluation: NonNullable<RoundMetricSums['evaluation']>; segments: SegmentSums } {
  const segments = noiseSegmentSums(sums, privacy, random);
  const evaluation: NonNullable<RoundMetricSums['evaluation']> = overallFromSegments(segments);
  if (baselines) evaluation.baselines = noiseBaselineSums(baselines, privacy, random);
  return { evaluation, segments };
}

/** The overall evaluation sums as the bands' sums (post-processing of the noised bands). */
export function overallFromSegments(sums: SegmentSums): BandSums {
  const overall: BandSums = { recall: 0, ndcg: 0, shoppers: 0 };
  for (const band of historyBands) {
    overall.recall += sums[band].recall;
    overall.ndcg += sums[band].ndcg;
    overall.shoppers += sums[band].shoppers;
  }
  return overall;
}

/**
 * Each band's recall@10 and NDCG@10 = noised sum / max(1, noised count), clamped to [0, 1], and
 * its noised count rounded and clamped at 0 (`evaluated:<band>`, so a reader can see how few
 * shoppers a band's figure rests on).
 *
 * @example releaseSegmentMetrics(noised) // { 'recall@10:new': 0.12, 'ndcg@10:new': 0.07, 'evaluated:new': 31, … }
 */
export function releaseSegmentMetrics(noised: SegmentSums): Record<string, number> {
  const clamp = (value: number): number => Math.min(1, Math.max(0, value));
  const metrics: Record<string, number> = {};
  for (const band of historyBands) {
    const { recall, ndcg, shoppers } = noised[band];
    const count = Math.max(1, shoppers);
    metrics[segmentMetricKey('recall@10', band)] = clamp(recall / count);
    metrics[segmentMetricKey('ndcg@10', band)] = clamp(ndcg / count);
    metrics[segmentMetricKey('evaluated', band)] = Math.max(0, Math.round(shoppers));
  }
  return metrics;
}

/** Without DP the bands' exact means (a band with no shopper is left out). */
export function exactSegmentMetrics(sums: SegmentSums): Record<string, number> {
  const metrics: Record<string, number> = {};
  for (const band of historyBands) {
    const { recall, ndcg, shoppers } = sums[band];
    if (shoppers === 0) continue;
    metrics[segmentMetricKey('recall@10', band)] = recall / shoppers;
    metrics[segmentMetricKey('ndcg@10', band)] = ndcg / shoppers;
    metrics[segmentMetricKey('evaluated', band)] = shoppers;
  }
  return metrics;
}
