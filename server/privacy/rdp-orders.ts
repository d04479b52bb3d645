/**
 * The Rényi orders α at which the accountant evaluates RDP. ε is the minimum over these orders of
 * the RDP → (ε, δ) conversion, so a denser or wider list can only lower ε; a list that is too
 * narrow shows up as the best order sitting at one end (see `epsilonFromRdp`).
 */
import { FedrecError } from '../errors/index.ts';

/**
 * Opacus' `RDPAccountant.DEFAULT_ALPHAS` (pytorch/opacus, opacus/accountants/rdp.py):
 * `[1 + x / 10.0 for x in range(1, 100)] + list(range(12, 64))`, i.e. 1.1, 1.2, …, 10.9, 12, …, 63.
 * We use Opacus' list rather than the one TF Privacy's `compute_dp_sgd_privacy` uses (1.25 … 4.5,
 * 5 … 63, 128, 256, 512) so that the grid in our reference tests is the same list Opacus' users get;
 * callers who need the larger orders (very small ε, many rounds with large σ) extend it.
 * `1 + x / 10` is the same IEEE-754 expression in both languages, so 2, 3, … 10 come out as exact
 * integers here as in Python and take the integer-order path.
 */
export const DEFAULT_RDP_ORDERS: readonly number[] = Object.freeze([
  ...Array.from({ length: 99 }, (_, i) => 1 + (i + 1) / 10),
  ...Array.from({ length: 52 }, (_, i) => 12 + i),
]);

/**
 * The orders of `base` plus `extra`, sorted ascending without duplicates.
 *
 * @example extendOrders([128, 256, 512]) // DEFAULT_RDP_ORDERS followed by 128, 256, 512
 */
export function extendOrders(extra: readonly number[], base: readonly number[] = DEFAULT_RDP_ORDERS): number[] {
  const all = [...base, ...extra];
  assertOrders(all);
  return [...new Set(all)].sort((a, b) => a - b);
}

/** Throws invalid-input unless every order is a finite number > 1 (RDP is defined for α > 1). */
export function assertOrders(orders: readonly number[]): void {
  if (orders.length === 0) throw new FedrecError('invalid-input', 'RDP orders: the list is empty');
  const bad = orders.filter((a) => !Number.isFinite(a) || a <= 1);
  if (bad.length > 0) {
    throw new FedrecError('invalid-input', `RDP orders must be finite and > 1, got ${bad.slice(0, 5).join(', ')}`);
  }
}
