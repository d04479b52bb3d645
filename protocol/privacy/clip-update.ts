/**
 * Clips one shopper's update to L2 norm C in place (Abadi et al. 2016; McMahan et al. 2018,
 * "flat clipping"): u ← u · min(1, C / ‖u‖). Returns the norm before clipping, which adaptive
 * clipping's count query needs.
 * @example const norm = clipUpdate(delta, 1.0); // ‖delta‖ ≤ 1 afterwards
 */
export function clipUpdate(update: Float32Array, clipNorm: number): number {
  if (!(clipNorm > 0)) throw new Error(`clipUpdate: clip norm must be > 0, got ${clipNorm}`);
  let squared = 0;
  for (let i = 0; i < update.length; i++) squared += update[i] * update[i];
  const norm = Math.sqrt(squared);
  // Scale by a float32-safe factor slightly under C/‖u‖ so rounding can never push the result over C.
  if (norm > clipNorm) {
    const scale = (clipNorm / norm) * (1 - 1e-6);
    for (let i = 0; i < update.length; i++) update[i] *= scale;
  }
  return norm;
}
