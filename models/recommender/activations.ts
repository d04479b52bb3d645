/**
 * The two squashing functions of the model's scalar parameters, in float64 for the typed-array
 * views of the score (the scorer, the hand-written gradient, the explainers, the serving kernel's
 * per-snapshot terms); the tfjs graph uses tf.softplus and tf.sigmoid, which tests hold equal.
 */

/** log(1 + eˣ), without overflow: past 20 it equals x to float64 precision. */
export const softplus = (x: number): number => (x > 20 ? x : Math.log1p(Math.exp(x)));

/** 1 / (1 + e⁻ˣ): softplus' derivative, and the map from historyExponent to γ ∈ (0, 1). */
export const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
