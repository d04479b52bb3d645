/**
 * Coordinate-wise trimmed mean (Yin et al. 2018, Sec. 4): per coordinate, drop the k = floor(β·n)
 * largest and k smallest client values and average the n − 2k left, scaled by n to estimate Σ of
 * the sums: n / (n − 2k) · Σ_{r=k+1}^{n−k} s_(r)[i].
 *
 * Sensitivity: every order statistic is non-decreasing in each input and, together, they sum to
 * Σ_j s_j[i], which changing one client by Δ_i moves by exactly Δ_i; all of them move the same way,
 * so any subset of them, the trimmed sum included, moves by at most |Δ_i|. The trimmed mean moves by
 * ≤ |Δ_i| / (n − 2k) per coordinate, ≤ C / (n − 2k) in L2, and the scaled output by ≤ n·C / (n − 2k).
 */
import type { Aggregator } from './aggregator.ts';
import { HeldSums } from './held-sums.ts';

export class TrimmedMean implements Aggregator {
  readonly rule = 'trimmed-mean' as const;
  readonly streams = false;
  private readonly held: HeldSums;

  constructor(
    size: number,
    readonly trimFraction: number,
  ) {
    if (!(trimFraction >= 0 && trimFraction < 0.5)) throw new RangeError(`TrimmedMean: trimFraction ${trimFraction} is not in [0, 0.5)`);
    this.held = new HeldSums(size);
  }

  get clients(): number {
    return this.held.clients;
  }

  /** Values trimmed from each end of every coordinate, for the clients held now. */
  trimmed(): number {
    return Math.floor(this.trimFraction * this.held.clients);
  }

  add(values: Float32Array): void {
    this.held.add(values, 'TrimmedMean');
  }

  combine(): Promise<Float64Array> {
    const n = this.held.clients;
    const k = this.trimmed();
    const scale = n / (n - 2 * k);
    return this.held.mapSorted((sorted) => {
      let kept = 0;
      for (let r = k; r < n - k; r++) kept += sorted[r];
      return scale * kept;
    });
  }

  sensitivity(clipNorm: number): number {
    const n = Math.max(1, this.held.clients);
    return (n * clipNorm) / (n - 2 * Math.floor(this.trimFraction * n));
  }

  heldBytes(): number {
    return this.held.heldBytes();
  }
}
