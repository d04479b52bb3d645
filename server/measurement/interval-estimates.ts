/**
 * The interval estimates the uplift report uses, 95% by default:
 * - Wilson's score interval for one proportion (Wilson 1927), which stays inside [0, 1] and keeps
 *   its coverage for small n and p near 0, where the Wald interval does not;
 * - Newcombe's hybrid score interval for a difference of two independent proportions (Newcombe
 *   1998, method 10), built from the two Wilson intervals;
 * - Welch's interval for a difference of two means with unequal variances (Welch 1947), with the
 *   Welch–Satterthwaite degrees of freedom and the Student t quantile.
 */
import { logGamma } from '../privacy/log-gamma.ts';

export interface Interval {
  low: number;
  high: number;
}

/** The standard normal 0.975 quantile: a 95% two-sided interval. */
export const z95 = 1.959963984540054;

/** @example wilsonInterval(12, 100) // { low: 0.0699…, high: 0.1991… } */
export function wilsonInterval(successes: number, n: number, z = z95): Interval {
  if (n === 0) return { low: 0, high: 1 };
  const p = successes / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** p1 − p2 and its interval (Newcombe 1998, method 10). */
export function newcombeDifference(s1: number, n1: number, s2: number, n2: number, z = z95): { difference: number } & Interval {
  const p1 = n1 === 0 ? 0 : s1 / n1;
  const p2 = n2 === 0 ? 0 : s2 / n2;
  const a = wilsonInterval(s1, n1, z);
  const b = wilsonInterval(s2, n2, z);
  const difference = p1 - p2;
  return { difference, low: difference - Math.sqrt((p1 - a.low) ** 2 + (b.high - p2) ** 2), high: difference + Math.sqrt((a.high - p1) ** 2 + (p2 - b.low) ** 2) };
}

export interface Moments {
  n: number;
  mean: number;
  /** Sample variance (n − 1 in the denominator). */
  variance: number;
}

export function moments(values: readonly number[]): Moments {
  const n = values.length;
  const mean = n === 0 ? 0 : values.reduce((a, b) => a + b, 0) / n;
  const variance = n < 2 ? 0 : values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1);
  return { n, mean, variance };
}

/**
 * mean(a) − mean(b), its standard error, the Welch–Satterthwaite df and the interval (Welch 1947).
 * With fewer than two values in a group, or no variance at all, the interval is null.
 */
export function welchDifference(a: Moments, b: Moments, level = 0.95): { difference: number; standardError: number; df: number | null; interval: Interval | null } {
  const difference = a.mean - b.mean;
  const va = a.n > 0 ? a.variance / a.n : 0;
  const vb = b.n > 0 ? b.variance / b.n : 0;
  const standardError = Math.sqrt(va + vb);
  if (a.n < 2 || b.n < 2 || standardError === 0) return { difference, standardError, df: null, interval: null };
  const df = (va + vb) ** 2 / (va ** 2 / (a.n - 1) + vb ** 2 / (b.n - 1));
  const t = studentTQuantile(1 - (1 - level) / 2, df);
  return { difference, standardError, df, interval: { low: difference - t * standardError, high: difference + t * standardError } };
}

/**
 * The Student t quantile for real df > 0, by bisection on the CDF, P(T ≤ t) = 1 − I_x(ν/2, 1/2) / 2
 * for t > 0 with x = ν / (ν + t²) (Abramowitz & Stegun 26.7.1 with 26.5.27).
 */
export function studentTQuantile(p: number, df: number): number {
  if (p === 0.5) return 0;
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  const upper = (t: number) => 0.5 * regularizedBeta(df / (df + t * t), df / 2, 0.5);
  let low = 0;
  let high = 1;
  while (upper(high) > 1 - p) high *= 2;
  for (let i = 0; i < 200 && high - low > 1e-12 * high; i++) {
    const mid = (low + high) / 2;
    if (upper(mid) > 1 - p) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

/** I_x(a, b) by its continued fraction with the modified Lentz method (Press et al., Numerical Recipes, 3rd ed., 6.4). */
function regularizedBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  // The fraction converges fast for x < (a + 1) / (a + b + 2); otherwise use I_x(a, b) = 1 − I_{1−x}(b, a).
  if (x > (a + 1) / (a + b + 2)) return 1 - (front * betaFraction(1 - x, b, a)) / b;
  return (front * betaFraction(x, a, b)) / a;
}

function betaFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  d = 1 / (Math.abs(d) < tiny ? tiny : d);
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    for (const coefficient of [(m * (b - m) * x) / ((a + m2 - 1) * (a + m2)), (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1))]) {
      d = 1 + coefficient * d;
      d = 1 / (Math.abs(d) < tiny ? tiny : d);
      c = 1 + coefficient / c;
      if (Math.abs(c) < tiny) c = tiny;
      h *= d * c;
    }
    if (Math.abs(d * c - 1) < 1e-15) break;
  }
  return h;
}
