/**
 * The other direction of the accountant: given a budget (ε, δ), a sampling rate and a number of
 * rounds, the smallest noise multiplier σ whose ε fits the budget (what Opacus'
 * `get_noise_multiplier` does). Less noise than this breaks the budget; more wastes utility.
 */
import { FedrecError } from '../errors/index.ts';
import { DEFAULT_RDP_ORDERS } from './rdp-orders.ts';
import { computeEpsilon, type RoundSpec } from './rdp-to-epsilon.ts';

export interface CalibrationTarget {
  targetEpsilon: number;
  delta: number;
  q: number;
  rounds: number;
  orders?: readonly number[];
  /**
   * Releases whose σ is fixed (a job's metric evaluations), composed with the calibrated rounds:
   * the σ found is the smallest for which rounds and these together fit the budget.
   */
  fixed?: readonly RoundSpec[];
  /** Stop when the bracket [lo, hi] on σ satisfies hi − lo ≤ tolerance · hi. Default 1e-6. */
  relativeTolerance?: number;
}

/**
 * Above this σ we give up. ε keeps falling as σ grows, so every ε > 0 is reachable in principle,
 * but a multiplier this large means the job's updates are pure noise: the budget is the problem.
 */
const MAX_SIGMA = 1e6;
/** Below this σ we stop looking lower: ε there is already astronomically large for any q > 0. */
const MIN_SIGMA = 1e-6;

/**
 * Smallest σ (to `relativeTolerance`) with ε(σ) ≤ `targetEpsilon`. ε is continuous and decreasing
 * in σ (more noise never costs more privacy), so bisection on a bracket found by doubling is safe.
 * The returned σ is the bracket's upper end, hence always within budget.
 *
 * @example calibrateNoise({ targetEpsilon: 1.7118, delta: 1e-5, q: 0.01, rounds: 1000 }) // ≈ 1.1
 */
export function calibrateNoise(target: CalibrationTarget): number {
  const { targetEpsilon, delta, q, rounds, orders = DEFAULT_RDP_ORDERS, relativeTolerance = 1e-6, fixed = [] } = target;
  if (!(targetEpsilon > 0 && Number.isFinite(targetEpsilon))) {
    throw new FedrecError('invalid-input', `calibrateNoise: target epsilon must be finite and > 0, got ${targetEpsilon}`);
  }
  if (!(q > 0 && q <= 1)) throw new FedrecError('invalid-input', `calibrateNoise: q must be in (0, 1], got ${q}`);
  if (!(Number.isInteger(rounds) && rounds > 0)) {
    throw new FedrecError('invalid-input', `calibrateNoise: rounds must be a positive integer, got ${rounds}`);
  }
  if (!(relativeTolerance > 0 && relativeTolerance < 1)) {
    throw new FedrecError('invalid-input', `calibrateNoise: relativeTolerance must be in (0, 1), got ${relativeTolerance}`);
  }
  if (fixed.length > 0) {
    const alone = computeEpsilon([...fixed], delta, orders).epsilon;
    if (!(alone < targetEpsilon)) {
      throw new FedrecError('invalid-input', `calibrateNoise: the fixed releases alone spend ε = ${alone.toPrecision(4)} of the ${targetEpsilon} budget; raise their noise or the budget`);
    }
  }
  const epsilonAt = (sigma: number): number => computeEpsilon([{ q, sigma, steps: rounds }, ...fixed], delta, orders).epsilon;
  const fits = (sigma: number): boolean => epsilonAt(sigma) <= targetEpsilon;

  let hi = 1;
  while (!fits(hi)) {
    hi *= 2;
    if (hi > MAX_SIGMA) {
      throw new FedrecError(
        'invalid-input',
        `calibrateNoise: ε = ${targetEpsilon} at δ = ${delta} over ${rounds} rounds with q = ${q} needs σ > ${MAX_SIGMA}; ` +
          'raise the budget, sample fewer shoppers per round or run fewer rounds',
      );
    }
  }
  let lo = hi / 2;
  while (fits(lo)) {
    hi = lo;
    lo /= 2;
    if (lo < MIN_SIGMA) return hi;
  }
  while (hi - lo > relativeTolerance * hi) {
    const mid = (lo + hi) / 2;
    if (fits(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}
