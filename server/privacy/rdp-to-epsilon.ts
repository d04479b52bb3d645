/**
 * From RDP to an (ε, δ) statement. Composition happens in RDP (additive per order, Mironov 2017,
 * Prop. 1) and only the total is converted: converting each round and adding ε's would be far
 * looser. Rounds may differ in q and σ (e.g. a job whose σ was recalibrated mid-way).
 */
import { FedrecError } from '../errors/index.ts';
import { assertOrders, DEFAULT_RDP_ORDERS } from './rdp-orders.ts';
import { sampledGaussianRdpCurve, type SampledGaussian } from './sampled-gaussian-rdp.ts';

/** `steps` identical rounds of one sampled Gaussian mechanism. */
export interface RoundSpec extends SampledGaussian {
  steps: number;
}

/** ε for a δ, the order that achieved it, and whether that order sits at an end of the list. */
export interface EpsilonResult {
  epsilon: number;
  order: number;
  /** Set when the best order is the smallest or largest tried: a wider list may give a lower ε. */
  orderAtEdge: 'smallest' | 'largest' | null;
}

/**
 * Total RDP at each order of `rounds` run one after the other: Σ steps · RDP_step(α).
 *
 * @example composeRdp([{ q: 0.01, sigma: 1.1, steps: 1000 }], [2, 8, 32])
 */
export function composeRdp(rounds: readonly RoundSpec[], orders: readonly number[] = DEFAULT_RDP_ORDERS): number[] {
  assertOrders(orders);
  const total = new Array<number>(orders.length).fill(0);
  for (const round of rounds) {
    if (!(Number.isInteger(round.steps) && round.steps >= 0)) {
      throw new FedrecError('invalid-input', `composeRdp: steps must be a non-negative integer, got ${round.steps}`);
    }
    if (round.steps === 0) continue;
    const perStep = sampledGaussianRdpCurve(round, orders);
    for (let k = 0; k < orders.length; k++) total[k] += round.steps * perStep[k];
  }
  return total;
}

/**
 * The smallest ε over `orders` such that RDP(α) = `rdp` implies (ε, δ)-DP.
 *
 * Per order we use the conversion of Balle et al. 2020, "Hypothesis testing interpretations and
 * Rényi differential privacy" (AISTATS; arXiv:1905.09982, Thm. 21, the citation in Opacus), which
 * TF Privacy cites as Canonne, Kamath & Steinke 2020, arXiv:2004.00010 v4, Prop. 12:
 *   ε = rdp − (log δ + log α)/(α − 1) + log((α − 1)/α),
 * rather than the classic ε = rdp + log(1/δ)/(α − 1) (Mironov 2017, Prop. 3). It is never larger
 * (it differs by log(1 − 1/α) − log(α)/(α − 1) ≤ 0) and is what both Opacus' `get_privacy_spent`
 * and TF Privacy's `_compute_eps` use, so agreement with them checks the same quantity.
 * Like TF Privacy we also use the KL bound δ ≤ √(1 − e^−RDP) (RDP at α > 1 bounds KL): when it
 * already gives δ, ε = 0 (this is what makes zero rounds cost exactly 0), and we clamp ε ≥ 0,
 * since (ε, δ)-DP for a negative ε implies it for ε = 0.
 *
 * @example epsilonFromRdp([2, 4, 8], [0.1, 0.3, 0.9], 1e-5) // { epsilon: …, order: 8, orderAtEdge: 'largest' }
 */
export function epsilonFromRdp(orders: readonly number[], rdp: readonly number[], delta: number): EpsilonResult {
  assertOrders(orders);
  if (rdp.length !== orders.length) {
    throw new FedrecError('invalid-input', `epsilonFromRdp: ${rdp.length} RDP values for ${orders.length} orders`);
  }
  if (!(delta > 0 && delta < 1)) throw new FedrecError('invalid-input', `epsilonFromRdp: delta must be in (0, 1), got ${delta}`);
  let best = Infinity;
  let bestIndex = -1;
  for (let k = 0; k < orders.length; k++) {
    const eps = epsilonAtOrder(orders[k], rdp[k], delta);
    if (eps < best) {
      best = eps;
      bestIndex = k;
    }
  }
  if (bestIndex < 0) return { epsilon: Infinity, order: NaN, orderAtEdge: null };
  const order = orders[bestIndex];
  const orderAtEdge = order === Math.min(...orders) ? 'smallest' : order === Math.max(...orders) ? 'largest' : null;
  return { epsilon: Math.max(0, best), order, orderAtEdge };
}

/**
 * ε spent by `rounds` at δ: compose, then convert.
 *
 * @example computeEpsilon([{ q: 0.01, sigma: 1.1, steps: 1000 }], 1e-5) // { epsilon: ≈1.7118, order: 9.6, … }
 */
export function computeEpsilon(
  rounds: readonly RoundSpec[],
  delta: number,
  orders: readonly number[] = DEFAULT_RDP_ORDERS,
): EpsilonResult {
  return epsilonFromRdp(orders, composeRdp(rounds, orders), delta);
}

/**
 * How far below 0 a computed RDP may fall and still be read as rounding. A Rényi divergence is
 * never negative (van Erven & Harremoës 2014, Thm. 8), but the sampled Gaussian series subtracts
 * nearly equal log terms at tiny q: q = 1e-14 gave −9.49e-17. Such values are clamped to 0, as
 * dp_accounting's `compute_epsilon` does (it warns and takes ε = 0 at that order); anything more
 * negative is not rounding and stays an error.
 */
const rdpRoundingTolerance = 1e-9;

function epsilonAtOrder(alpha: number, rawRdp: number, delta: number): number {
  if (Number.isNaN(rawRdp) || rawRdp < -rdpRoundingTolerance) throw new FedrecError('invalid-input', `epsilonFromRdp: RDP must be >= 0, got ${rawRdp}`);
  const rdp = Math.max(0, rawRdp);
  if (delta * delta + Math.expm1(-rdp) >= 0) return 0;
  return rdp + Math.log1p(-1 / alpha) - (Math.log(delta) + Math.log(alpha)) / (alpha - 1);
}
