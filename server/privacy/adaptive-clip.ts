/**
 * Adaptive clipping: the clip norm C follows a target quantile γ of the shoppers' update norms
 * instead of being hand-tuned (Andrew, Thakkar, McMahan & Ramaswamy 2021, "Differentially Private
 * Learning with Adaptive Clipping", Alg. 1 with the geometric update; TensorFlow Federated's
 * `DifferentiallyPrivateFactory.gaussian_adaptive`, built on TF Privacy's QuantileEstimatorQuery).
 *
 * Per round, with the round's clip norm C:
 * 1. each client reports, next to its clipped update sum, how many of its sampled shoppers had
 *    ‖Δ‖ ≤ C (`unclippedCount`) and how many it sampled (`sampledCount`);
 * 2. the coordinator noises the update sum with N(0, (σ_z C)²) and calls `updateClipNorm`;
 * 3. the accountant records the round with σ = `effectiveNoiseMultiplier(σ_z, σ_b)`, because the
 *    count is a second query on the same sampled shoppers and costs privacy too.
 */
import { FedrecError } from '../errors/index.ts';
import { defaultRandomSource, standardNormal, type RandomSource } from '../../protocol/index.ts';

export interface ClipNormRound {
  /** C used this round. */
  clipNorm: number;
  /** Σ over clients of sampled shoppers whose update norm was ≤ C. */
  unclippedCount: number;
  /** Σ over clients of sampled shoppers. Used only inside the noised sum (see below). */
  sampledCount: number;
  /** q · population: public, unlike the realised sampledCount. */
  expectedShoppers: number;
  /** γ, the fraction of updates that should end up unclipped (0.5 = median). */
  targetQuantile: number;
  /** η_C; Andrew et al. use 0.2. */
  learningRate: number;
  /** σ_b, std of the noise on the count; Andrew et al. suggest expectedShoppers / 20. */
  countNoiseStd: number;
  random?: RandomSource;
}

/**
 * The next clip norm: C ← C · exp(−η (b̃ − γ)) (Andrew et al. 2021, Alg. 1, geometric update).
 * b̃ is the noised fraction of UNCLIPPED updates, so more than γ unclipped (C too big) makes
 * b̃ − γ > 0 and C goes down; fewer makes C go up.
 *
 * Like TF Privacy we noise the count centred per shopper, Σ(bᵢ − ½) = unclipped − sampled/2, then
 * b̃ = (Σ(bᵢ − ½) + N(0, σ_b²)) / expectedShoppers + ½. Adding or removing one shopper moves the
 * centred sum by ½ instead of up to 1, which is what makes the count's noise multiplier 2σ_b in
 * `effectiveNoiseMultiplier`; noising the raw count would only earn σ_b. b̃ is clamped to [0, 1].
 *
 * @example updateClipNorm({ clipNorm: 1, unclippedCount: 80, sampledCount: 100, expectedShoppers: 100,
 *   targetQuantile: 0.5, learningRate: 0.2, countNoiseStd: 5 }) // { clipNorm: ≈ 0.94, … }
 */
export function updateClipNorm(round: ClipNormRound): { clipNorm: number; unclippedFraction: number } {
  const { clipNorm, unclippedCount, sampledCount, expectedShoppers, targetQuantile, learningRate, countNoiseStd } = round;
  const bad: string[] = [];
  if (!(clipNorm > 0 && Number.isFinite(clipNorm))) bad.push(`clipNorm must be finite and > 0, got ${clipNorm}`);
  if (!(unclippedCount >= 0 && unclippedCount <= sampledCount)) {
    bad.push(`unclippedCount must be in [0, sampledCount = ${sampledCount}], got ${unclippedCount}`);
  }
  if (!(expectedShoppers > 0)) bad.push(`expectedShoppers must be > 0, got ${expectedShoppers}`);
  if (!(targetQuantile >= 0 && targetQuantile <= 1)) bad.push(`targetQuantile must be in [0, 1], got ${targetQuantile}`);
  if (!(learningRate >= 0)) bad.push(`learningRate must be >= 0, got ${learningRate}`);
  if (!(countNoiseStd >= 0 && Number.isFinite(countNoiseStd))) bad.push(`countNoiseStd must be finite, >= 0, got ${countNoiseStd}`);
  if (bad.length > 0) throw new FedrecError('invalid-input', `updateClipNorm: ${bad.join('; ')}`);

  const random = round.random ?? defaultRandomSource();
  const centred = unclippedCount - sampledCount / 2 + countNoiseStd * standardNormal(random);
  const unclippedFraction = Math.min(1, Math.max(0, centred / expectedShoppers + 0.5));
  return { clipNorm: clipNorm * Math.exp(-learningRate * (unclippedFraction - targetQuantile)), unclippedFraction };
}

/**
 * The single noise multiplier the accountant should record for a round that releases both the
 * update sum (noise multiplier σ_z) and the centred count (sensitivity ½, noise std σ_b):
 * σ_eff = (σ_z⁻² + (2σ_b)⁻²)^(−½) (Andrew et al. 2021, Thm. 1; TFF `adaptive_clip_noise_params`).
 *
 * @example effectiveNoiseMultiplier(1.0, 5) // ≈ 0.99504
 */
export function effectiveNoiseMultiplier(updateNoiseMultiplier: number, countNoiseStd: number): number {
  if (!(updateNoiseMultiplier >= 0) || !(countNoiseStd >= 0)) {
    const got = `${updateNoiseMultiplier}, ${countNoiseStd}`;
    throw new FedrecError('invalid-input', `effectiveNoiseMultiplier: both must be >= 0, got ${got}`);
  }
  return (updateNoiseMultiplier ** -2 + (2 * countNoiseStd) ** -2) ** -0.5;
}

/**
 * The inverse: the σ_z to put on the updates so the round as a whole has noise multiplier
 * `totalNoiseMultiplier` (e.g. from `calibrateNoise`), σ_z = (σ⁻² − (2σ_b)⁻²)^(−½). Needs
 * 2σ_b > σ: otherwise the count query alone already spends the whole budget (TFF raises the same
 * error).
 *
 * @example updateNoiseMultiplierFor(0.99504, 5) // ≈ 1.0
 */
export function updateNoiseMultiplierFor(totalNoiseMultiplier: number, countNoiseStd: number): number {
  if (!(totalNoiseMultiplier > 0 && Number.isFinite(totalNoiseMultiplier))) {
    const got = totalNoiseMultiplier;
    throw new FedrecError('invalid-input', `updateNoiseMultiplierFor: total noise multiplier must be finite and > 0, got ${got}`);
  }
  if (!(2 * countNoiseStd > totalNoiseMultiplier)) {
    throw new FedrecError(
      'invalid-input',
      `updateNoiseMultiplierFor: count noise std ${countNoiseStd} is too small for total noise multiplier ` +
        `${totalNoiseMultiplier}; it must exceed half of it (raise σ_b or expect more shoppers per round)`,
    );
  }
  return (totalNoiseMultiplier ** -2 - (2 * countNoiseStd) ** -2) ** -0.5;
}
