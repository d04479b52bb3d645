/**
 * Gaussian draws from a uniform source, by Marsaglia's polar method (Marsaglia & Bray 1964,
 * "A convenient method for generating normal variables"): pick (u, v) uniform in the unit disc,
 * s = u² + v², then u·√(−2 ln s / s) and v·√(−2 ln s / s) are independent N(0, 1). Exact (no
 * tables, no tail cut-off), and every step is in float64. Written into a Float64Array the draw
 * and the noisy sum stay in float64 (what the round engine does: only the released update is
 * rounded to float32); written into a Float32Array each value is rounded once when stored.
 *
 * Known limit: like every floating-point sampler, the low-order bits are not exactly Gaussian
 * (Mironov 2012 shows such artefacts can leak for the Laplace mechanism). Closing that needs a
 * discrete Gaussian (Canonne, Kamath & Steinke 2020); it is out of scope here.
 */

/** The part of a RandomSource these functions need. */
export interface UniformSource {
  /** Uniform in the open interval (0, 1). */
  uniform(): number;
}

/** What the noise is written into: float64 keeps the noisy sum unrounded until release. */
export type NoiseTarget = Float32Array | Float64Array;

/** Scratch for `polarPair`: reused so the noise loop allocates nothing. */
const pair = new Float64Array(2);

/**
 * One N(0, 1) draw in float64 (the second draw of the pair is discarded: use `fillGaussian` for
 * many draws).
 *
 * @example const noise = countNoiseStd * standardNormal(random);
 */
export function standardNormal(random: UniformSource): number {
  polarPair(random);
  return pair[0];
}

/**
 * Overwrites `out` with independent N(0, std²) draws.
 *
 * @example fillGaussian(defaultRandomSource(), new Float32Array(1280), 0.5)
 */
export function fillGaussian<T extends NoiseTarget>(random: UniformSource, out: T, std: number): T {
  return writeGaussian(random, out, std, false);
}

/**
 * Adds independent N(0, std²) draws to `out` in place (the sum is formed in float64, and rounded
 * once only if `out` is a Float32Array).
 *
 * @example addGaussian(defaultRandomSource(), roundSum, noiseMultiplier * clipNorm)
 */
export function addGaussian<T extends NoiseTarget>(random: UniformSource, out: T, std: number): T {
  return writeGaussian(random, out, std, true);
}

function writeGaussian<T extends NoiseTarget>(random: UniformSource, out: T, std: number, add: boolean): T {
  if (!(std >= 0 && Number.isFinite(std))) {
    // A programmer's error, not a client's: the protocol package has no error codes of its own.
    throw new RangeError(`gaussian noise: std must be finite and >= 0, got ${std}`);
  }
  const n = out.length;
  for (let i = 0; i < n; i += 2) {
    polarPair(random);
    out[i] = add ? out[i] + std * pair[0] : std * pair[0];
    if (i + 1 < n) out[i + 1] = add ? out[i + 1] + std * pair[1] : std * pair[1];
  }
  return out;
}

/** Writes two independent N(0, 1) draws into `pair` by the polar method (rejecting s ∉ (0, 1)). */
function polarPair(random: UniformSource): void {
  for (;;) {
    const u = 2 * random.uniform() - 1;
    const v = 2 * random.uniform() - 1;
    const s = u * u + v * v;
    if (s < 1 && s > 0) {
      const scale = Math.sqrt((-2 * Math.log(s)) / s);
      pair[0] = u * scale;
      pair[1] = v * scale;
      return;
    }
  }
}
