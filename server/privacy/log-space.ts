/**
 * Arithmetic on numbers stored as their natural logarithm. The RDP of the sampled Gaussian
 * mechanism sums terms such as exp((i² − i)/(2σ²)) that overflow a double long before the sum's
 * logarithm does, so every sum in this folder is taken here, with −Infinity standing for 0.
 */

/**
 * log(exp(a) + exp(b)) without overflow: factor out the larger term and use log1p for the rest.
 *
 * @example logAddExp(Math.log(2), Math.log(3)) // ≈ Math.log(5)
 */
export function logAddExp(a: number, b: number): number {
  const hi = Math.max(a, b);
  const lo = Math.min(a, b);
  if (lo === -Infinity) return hi;
  return hi + Math.log1p(Math.exp(lo - hi));
}

/**
 * log(exp(a) − exp(b)) for a ≥ b: factor out exp(a) and use log(−expm1) for the rest, which keeps
 * full precision when b is close to a. Throws when the difference would be negative, because in
 * the accountant that can only mean a bug or a series evaluated outside its domain.
 *
 * @example logSubExp(Math.log(5), Math.log(3)) // ≈ Math.log(2)
 */
export function logSubExp(a: number, b: number): number {
  if (b === -Infinity) return a;
  if (a < b) throw new RangeError(`logSubExp: result would be negative (log terms ${a} < ${b})`);
  if (a === b) return -Infinity;
  return a + Math.log(-Math.expm1(b - a));
}

/**
 * log(e^x − 1) for x ≥ 0, written as x + log(1 − e^−x) so it neither overflows for large x nor
 * loses digits for small x (−expm1(−x) keeps full precision there). log(e^0 − 1) = −Infinity.
 *
 * @example logExpm1(1e-10) // ≈ Math.log(1e-10)
 */
export function logExpm1(x: number): number {
  if (x < 0) throw new RangeError(`logExpm1: x must be >= 0, got ${x}`);
  return x + Math.log(-Math.expm1(-x));
}
