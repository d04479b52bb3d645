/**
 * Coordinate-wise median of the clients' sums (Yin et al. 2018, "Byzantine-robust distributed
 * learning", Sec. 3), scaled by the number of clients n so it estimates Σ of the sums like the
 * plain sum does: n · median_j(s_j[i]) for every coordinate i.
 *
 * Sensitivity: an order statistic is non-decreasing and 1-Lipschitz in each of its inputs, so
 * changing one client's sum by Δ moves each coordinate's median (or, for even n, the mean of the
 * two middle values) by at most |Δ_i|; the median vector moves by ≤ ‖Δ‖₂ ≤ C in L2, and the scaled
 * output by ≤ n · C. The noise is n times the plain sum's: robustness costs accuracy under DP.
 */
import type { Aggregator } from './aggregator.ts';
import { HeldSums } from './held-sums.ts';

export class CoordinateMedian implements Aggregator {
  readonly rule = 'median' as const;
  readonly streams = false;
  private readonly held: HeldSums;

  constructor(size: number) {
    this.held = new HeldSums(size);
  }

  get clients(): number {
    return this.held.clients;
  }

  add(values: Float32Array): void {
    this.held.add(values, 'CoordinateMedian');
  }

  combine(): Promise<Float64Array> {
    const n = this.held.clients;
    const middle = n >> 1;
    return this.held.mapSorted((sorted) => n * (n % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2));
  }

  sensitivity(clipNorm: number): number {
    return Math.max(1, this.held.clients) * clipNorm;
  }

  heldBytes(): number {
    return this.held.heldBytes();
  }
}
