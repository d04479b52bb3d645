/**
 * Per-round metrics released with differential privacy. Every figure a round publishes about
 * shoppers (training loss, federated recall@10 and NDCG@10, and the counts behind them) is a sum
 * of bounded per-shopper contributions plus Gaussian noise, and is accounted as a release of the
 * sampled Gaussian mechanism next to the model update:
 *
 * - Training loss: each sampled shopper's mean loss is clipped to [0, L] on the client
 *   (`shopperLossBound`, models/training/local-update.ts), the coordinator checks the sum lies in
 *   [0, L × shoppers], adds N(0, (m·L)²) and divides by the fixed qN (no count is released). The
 *   loss sum is a second query on the round's sampled shoppers, so it joins the update (and
 *   adaptive clipping's count) in one vector query: see `combinedNoiseMultiplier`.
 * - Evaluation: on a separately Poisson-sampled cohort of held-out shoppers (rate q_e), recall@10
 *   and NDCG@10 in [0, 1] per shopper and the cohort size (1 per shopper) each get N(0, m²); the
 *   released means are noised sum / noised count. Three parts of sensitivity 1 and std m: σ_eval =
 *   m / √3, its own sampled Gaussian release with q_e.
 * - Baselines (a job's `evaluationBaselines`, on by default): on the same cohort, each store also
 *   sums recall@10 and NDCG@10 of its per-store popularity and personal-repeat rankers, four more
 *   parts in [0, 1] per shopper, each N(0, m²), divided by the same noised count. One shopper
 *   changes all seven parts by at most 1 each, so the vector query has L2 sensitivity √7 in units
 *   of m: σ_eval = m / √7, still one release with q_e.
 * - Segments (issue 14 point 4, segment-release.ts): when every client splits the model's sums by
 *   history band, the 3 bands' (recall, NDCG, count) are released in place of the overall three,
 *   which are derived as their sum. A shopper is in one band, so still touches 3 model parts + the
 *   4 baseline parts: σ_eval stays m / √7 (m / √3 without baselines), no extra ε.
 *
 * m is the job's `metricNoiseMultiplier`. What is released is post-processing of these noised
 * sums (clamping to the metric's range included), so it costs nothing more (Dwork & Roth 2014,
 * Prop. 2.1).
 */
import { FedrecError } from '../errors/index.ts';
import { standardNormal, type RandomSource } from '../../protocol/index.ts';
import type { RoundSpec } from './rdp-to-epsilon.ts';

/** One part of a vector query: its L2 sensitivity Δ (per shopper) and the std of its noise. */
export interface QueryPart {
  sensitivity: number;
  std: number;
}

/**
 * The noise multiplier of a vector query whose parts k, each of L2 sensitivity Δ_k, get
 * independent N(0, s_k²) noise: σ_eff = (Σ_k (Δ_k / s_k)²)^(−½). Scaling part k by 1 / s_k makes
 * the noise N(0, I) on a query whose per-shopper contribution has L2 norm at most
 * √(Σ (Δ_k / s_k)²), i.e. the Gaussian mechanism with noise multiplier σ_eff; on a Poisson-sampled
 * cohort it is the sampled Gaussian of Mironov et al. 2019 with that σ. With two parts this is
 * Andrew et al. 2021, Thm. 1 (`effectiveNoiseMultiplier`). It is never larger than any part's own
 * s_k / Δ_k: each added query costs privacy.
 *
 * @example combinedNoiseMultiplier([{ sensitivity: 1, std: 1 }, { sensitivity: 8, std: 80 }]) // ≈ 0.995
 */
export function combinedNoiseMultiplier(parts: readonly QueryPart[]): number {
  if (parts.length === 0) throw new FedrecError('invalid-input', 'combinedNoiseMultiplier: no parts');
  let inverseSquares = 0;
  for (const { sensitivity, std } of parts) {
    if (!(sensitivity >= 0 && Number.isFinite(sensitivity)) || !(std > 0 && Number.isFinite(std))) {
      throw new FedrecError('invalid-input', `combinedNoiseMultiplier: sensitivity must be finite and >= 0, std finite and > 0; got ${sensitivity}, ${std}`);
    }
    inverseSquares += (sensitivity / std) ** 2;
  }
  return inverseSquares === 0 ? Infinity : inverseSquares ** -0.5;
}

/**
 * The evaluation parts, each of sensitivity 1 and std m: recall, NDCG and count (σ = m / √3), and
 * with the baselines their four sums too (σ = m / √7).
 * @example evaluationNoiseMultiplier(10, true) // 10 / √7 ≈ 3.78
 */
export function evaluationNoiseMultiplier(metricNoiseMultiplier: number, baselines: boolean): number {
  const parts = baselines ? 7 : 3;
  return combinedNoiseMultiplier(Array.from({ length: parts }, () => ({ sensitivity: 1, std: metricNoiseMultiplier })));
}

/** The baselines a store scores beside the model, named as the released metrics are. */
export const baselineNames = ['popularity', 'repeat'] as const;
export type BaselineName = (typeof baselineNames)[number];

/** The parts of the privacy a job resolved that the releases below need. */
export interface MetricPrivacy {
  samplingRate: number;
  /** σ_eff of the training release: update, loss sum and (adaptive) count together. */
  accountedNoiseMultiplier: number;
  metricNoiseMultiplier: number;
  lossBound: number;
  evaluationSamplingRate: number;
  evaluationNoiseMultiplier: number;
}

/**
 * What one round releases, as the accountant composes it: the training release, and the
 * evaluation release on rounds that evaluate.
 *
 * @example accountant.recordAll(roundReleases(privacy, true));
 */
export function roundReleases(privacy: MetricPrivacy, evaluated: boolean): RoundSpec[] {
  const releases: RoundSpec[] = [{ q: privacy.samplingRate, sigma: privacy.accountedNoiseMultiplier, steps: 1 }];
  if (evaluated) releases.push({ q: privacy.evaluationSamplingRate, sigma: privacy.evaluationNoiseMultiplier, steps: 1 });
  return releases;
}

/** The sums a round collected from its clients. */
export interface RoundMetricSums {
  lossSum: number;
  evaluation?: { recall: number; ndcg: number; shoppers: number; baselines?: Record<BaselineName, { recall: number; ndcg: number }> };
}

/** The same sums with their noise (what `releaseMetrics` divides). */
export type NoisedMetricSums = RoundMetricSums;

/**
 * Adds the documented noise to each sum: N(0, (m·L)²) on the loss sum, N(0, m²) on the
 * evaluation's recall sum, NDCG sum and count, and on each baseline's recall and NDCG sum. Draws
 * are float64.
 *
 * @example noiseMetricSums({ lossSum: 812, evaluation: { recall: 190, ndcg: 120, shoppers: 402 } }, privacy, random)
 */
export function noiseMetricSums(sums: RoundMetricSums, privacy: Pick<MetricPrivacy, 'metricNoiseMultiplier' | 'lossBound'>, random: RandomSource): NoisedMetricSums {
  const m = privacy.metricNoiseMultiplier;
  const noised: NoisedMetricSums = { lossSum: sums.lossSum + m * privacy.lossBound * standardNormal(random) };
  if (sums.evaluation) {
    const { recall, ndcg, shoppers } = sums.evaluation;
    noised.evaluation = { recall: recall + m * standardNormal(random), ndcg: ndcg + m * standardNormal(random), shoppers: shoppers + m * standardNormal(random) };
    const baselines = sums.evaluation.baselines;
    if (baselines) noised.evaluation.baselines = noiseBaselineSums(baselines, privacy, random);
  }
  return noised;
}

/**
 * N(0, m²) on each baseline's recall and NDCG sum. Also used alone when the model's sums are
 * released per history band (segment-release.ts), so the overall model sums get no noise of their own.
 */
export function noiseBaselineSums(baselines: Record<BaselineName, { recall: number; ndcg: number }>, privacy: Pick<MetricPrivacy, 'metricNoiseMultiplier'>, random: RandomSource): Record<BaselineName, { recall: number; ndcg: number }> {
  const m = privacy.metricNoiseMultiplier;
  const noise = (sum: { recall: number; ndcg: number }) => ({ recall: sum.recall + m * standardNormal(random), ndcg: sum.ndcg + m * standardNormal(random) });
  return { popularity: noise(baselines.popularity), repeat: noise(baselines.repeat) };
}

/**
 * The round's released metrics: loss = noised loss sum / qN clamped to [0, L]; recall@10 and
 * NDCG@10 = noised sum / max(1, noised count), clamped to [0, 1], and the same for each baseline
 * under `popularity:recall@10`, `repeat:ndcg@10`, … (`baselineMetric`).
 *
 * @example releaseMetrics(noiseMetricSums(sums, privacy, random), privacy, 400) // { loss: 3.1, 'recall@10': 0.47, 'ndcg@10': 0.3 }
 */
export function releaseMetrics(noised: NoisedMetricSums, privacy: Pick<MetricPrivacy, 'lossBound'>, expectedShoppers: number): Record<string, number> {
  const clamp = (value: number, hi: number): number => Math.min(hi, Math.max(0, value));
  const metrics: Record<string, number> = { loss: clamp(noised.lossSum / expectedShoppers, privacy.lossBound) };
  if (noised.evaluation) {
    const count = Math.max(1, noised.evaluation.shoppers);
    metrics['recall@10'] = clamp(noised.evaluation.recall / count, 1);
    metrics['ndcg@10'] = clamp(noised.evaluation.ndcg / count, 1);
    for (const name of baselineNames) {
      const sums = noised.evaluation.baselines?.[name];
      if (!sums) continue;
      metrics[baselineMetric(name, 'recall@10')] = clamp(sums.recall / count, 1);
      metrics[baselineMetric(name, 'ndcg@10')] = clamp(sums.ndcg / count, 1);
    }
  }
  return metrics;
}

/**
 * The key a baseline's released metric is stored under in a round's metrics.
 * @example baselineMetric('repeat', 'recall@10') // 'repeat:recall@10'
 */
export function baselineMetric(name: BaselineName, metric: 'recall@10' | 'ndcg@10'): string {
  return `${name}:${metric}`;
}
