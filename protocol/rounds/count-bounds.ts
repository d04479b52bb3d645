/**
 * Bounds on the counts a store client reports, from what the coordinator knows (the client's
 * registered population N and the round's sampling rate q), never from the client's claim.
 */

/**
 * Probability that an honest client's Poisson-sampled count is refused by `sampledCountBound`:
 * one false refusal in 10^12 client-rounds.
 */
export const falseRejectionProbability = 1e-12;

/**
 * The largest sampled count an honest client with population N plausibly reports at rate q: the
 * count is Binomial(N, q) (Poisson sampling), and Bernstein's inequality (Boucheron, Lugosi &
 * Massart 2013, Thm. 2.10 with variance Nq(1 − q) ≤ Nq and increments ≤ 1) gives
 * P(X ≥ Nq + t) ≤ exp(−t² / (2(Nq + t/3))). Setting that to p and solving the quadratic in t:
 * t = L/3 + √(L²/9 + 2L·Nq) with L = ln(1/p). Capped at N, which no count may exceed.
 * @example sampledCountBound(4000, 0.1) // 558: 400 expected, refused from 559 up
 */
export function sampledCountBound(population: number, q: number, p = falseRejectionProbability): number {
  if (!(Number.isSafeInteger(population) && population >= 0)) throw new RangeError(`sampledCountBound: population must be a non-negative safe integer, got ${population}`);
  if (!(q >= 0 && q <= 1)) throw new RangeError(`sampledCountBound: q must be in [0, 1], got ${q}`);
  if (!(p > 0 && p < 1)) throw new RangeError(`sampledCountBound: p must be in (0, 1), got ${p}`);
  const mean = population * q;
  const l = Math.log(1 / p);
  const t = l / 3 + Math.sqrt((l * l) / 9 + 2 * l * mean);
  return Math.min(population, Math.floor(mean + t));
}

/**
 * a + b for counts, refusing a result that is no longer an exact integer in float64 (above 2^53 − 1
 * sums silently round).
 * @example addCounts(3, 4) // 7; addCounts(Number.MAX_SAFE_INTEGER, 1) throws
 */
export function addCounts(a: number, b: number): number {
  const sum = a + b;
  if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || !Number.isSafeInteger(sum)) throw new RangeError(`addCounts: ${a} + ${b} is not a safe integer`);
  return sum;
}
