/**
 * Poisson sampling of shoppers for a round: each of n shoppers is included independently with
 * probability q. This, not "a fixed number chosen at random", is the sampling the sampled
 * Gaussian RDP analysis assumes (Mironov et al. 2019, Sec. 2), so the round engine must use it
 * for the accountant's ε to hold.
 */
import { defaultRandomSource, type RandomSource } from './secure-random.ts';

/**
 * Indices in [0, n) of the shoppers included this round, ascending.
 *
 * Rather than n coin flips we jump from one included index to the next: in a run of independent
 * Bernoulli(q) trials the number of failures before the next success is geometric,
 * P(gap = k) = (1 − q)^k q, and inverting its CDF gives gap = ⌊log U / log(1 − q)⌋ for U uniform
 * in (0, 1) (inversion of the geometric law, Devroye 1986, "Non-Uniform Random Variate Generation"). That is the same
 * distribution as the coin flips but costs O(nq) draws instead of O(n).
 *
 * @example poissonSample(10_000, 0.01) // ~100 indices, e.g. [37, 212, 260, …]
 */
export function poissonSample(n: number, q: number, random: RandomSource = defaultRandomSource()): number[] {
  if (!(Number.isInteger(n) && n >= 0)) {
    throw new RangeError(`poissonSample: n must be a non-negative integer, got ${n}`);
  }
  if (!(q >= 0 && q <= 1)) throw new RangeError(`poissonSample: q must be in [0, 1], got ${q}`);
  if (q === 0) return [];
  if (q === 1) return Array.from({ length: n }, (_, i) => i);
  const logNotQ = Math.log1p(-q);
  const included: number[] = [];
  let index = -1;
  for (;;) {
    index += 1 + Math.floor(Math.log(random.uniform()) / logNotQ);
    if (index >= n) return included;
    included.push(index);
  }
}
