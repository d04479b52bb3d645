/**
 * log|Γ(x)| and log|C(n, k)| for real n, written here rather than taken from a package so the
 * accountant has no numeric dependency we cannot read (JavaScript has no Math.lgamma).
 *
 * For x ≥ 10 we use Stirling's series (Abramowitz & Stegun 6.1.40) through the B₁₆ term: the first
 * omitted term is B₁₈ / (18·17·x¹⁷) < 2e-17 at x = 10, so the series is exact to double precision.
 * Smaller positive x are shifted up with Γ(x + 1) = xΓ(x) (A&S 6.1.15), negative non-integers go
 * through the reflection formula Γ(x)Γ(1 − x) = π / sin(πx) (A&S 6.1.17).
 *
 * ABSOLUTE accuracy matters more than relative here: the RDP series adds terms whose logs are
 * O(1) to get log A_α ≈ 1e-9 at small q, so a 2e-15 error in log C(α, 0) (what the shifted series
 * gives for log Γ(1)) would be a 2e-7 relative error in RDP. Hence exact values at integers (a
 * factorial table) and a direct product for binomials with small k, where the large terms are.
 */

const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/** log((n − 1)!) for n = 1..171 (170! is the largest factorial a double holds), one rounding each. */
const LOG_FACTORIAL_TABLE: readonly number[] = (() => {
  const table = [0];
  let factorial = 1;
  for (let n = 1; n <= 170; n++) table.push(Math.log((factorial *= n)));
  return table;
})();

/** Below this k, C(n, k) as a direct product keeps its relative error under 2k ulp. */
const DIRECT_BINOMIAL_MAX_K = 40;

/** B₂ₖ / (2k(2k − 1)) for k = 1..8, the coefficients of A&S 6.1.40. */
const STIRLING = [
  1 / 12, // B2 = 1/6
  -1 / 360, // B4 = -1/30
  1 / 1260, // B6 = 1/42
  -1 / 1680, // B8 = -1/30
  1 / 1188, // B10 = 5/66
  -691 / 360360, // B12 = -691/2730
  1 / 156, // B14 = 7/6
  -3617 / 122400, // B16 = -3617/510
];

/**
 * log|Γ(x)| for any real x that is not a pole (0, −1, −2, …), to about 1e-15 absolute for
 * moderate x and 1e-15 relative for large x.
 *
 * @example logGamma(5) // = Math.log(24)
 */
export function logGamma(x: number): number {
  if (Number.isInteger(x)) {
    if (x <= 0) throw new RangeError(`logGamma: pole at x = ${x}`);
    if (x <= LOG_FACTORIAL_TABLE.length) return LOG_FACTORIAL_TABLE[x - 1];
  }
  if (x < 0.5) {
    // Reflection: log|Γ(x)| = log π − log|sin(πx)| − log|Γ(1 − x)|.
    return Math.log(Math.PI) - Math.log(Math.abs(sinPi(x))) - logGamma(1 - x);
  }
  let shift = 0;
  let product = 1;
  while (x < 10) {
    product *= x;
    x += 1;
    shift += 1;
  }
  const inv = 1 / x;
  const inv2 = inv * inv;
  let series = 0;
  for (let k = STIRLING.length - 1; k >= 0; k--) series = series * inv2 + STIRLING[k];
  const stirling = (x - 0.5) * Math.log(x) - x + HALF_LOG_TWO_PI + series * inv;
  return shift === 0 ? stirling : stirling - Math.log(product);
}

/**
 * log|C(n, k)| for real n and integer k ≥ 0, and the sign of C(n, k) = Π_{j<k} (n − j) / k!
 * (negative when an odd number of the factors n − j are). For k < 40 the product itself, which
 * is exact for k = 0 and 1 and within 2k ulp beyond; for larger k
 * log|Γ(n + 1)| − log Γ(k + 1) − log|Γ(n − k + 1)|. Integer n with k > n gives C = 0, i.e. −Infinity.
 *
 * @example logBinomial(5, 2) // { log: Math.log(10), sign: 1 }
 */
export function logBinomial(n: number, k: number): { log: number; sign: 1 | -1 } {
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`logBinomial: k must be a non-negative integer, got ${k}`);
  if (Number.isInteger(n) && n >= 0 && k > n) return { log: -Infinity, sign: 1 };
  if (k < DIRECT_BINOMIAL_MAX_K) {
    let product = 1;
    for (let j = 0; j < k; j++) product *= (n - j) / (j + 1);
    return { log: Math.log(Math.abs(product)), sign: product < 0 ? -1 : 1 };
  }
  const negativeFactors = Number.isInteger(n) && n >= 0 ? 0 : Math.max(0, k - Math.max(0, Math.floor(n) + 1));
  return {
    log: logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1),
    sign: negativeFactors % 2 === 0 ? 1 : -1,
  };
}

/** sin(πx) with the argument reduced first, so sinPi(k + 0.5) is exactly ±1 for large k. */
function sinPi(x: number): number {
  const r = x - 2 * Math.round(x / 2); // r in [-1, 1]
  return Math.sin(Math.PI * r);
}
