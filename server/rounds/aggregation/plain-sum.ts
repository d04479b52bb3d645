/**
 * The plain sum of the clients' sums (DP-FedAvg, McMahan et al. 2018): streamed, one float64 sum
 * of the model's size however many clients answer. Sensitivity to one shopper: C, by the triangle
 * inequality on the one client sum that shopper is in.
 */
import type { Aggregator } from './aggregator.ts';

export class PlainSum implements Aggregator {
  readonly rule = 'sum' as const;
  readonly streams = true;
  clients = 0;
  /** Σ of the sums so far; noise may be added into it at any time (the sum commutes). */
  readonly live: Float64Array;

  constructor(size: number) {
    this.live = new Float64Array(size);
  }

  add(values: Float32Array): void {
    const { live } = this;
    if (values.length !== live.length) throw new Error(`PlainSum.add: update has ${values.length} values, the sum has ${live.length}`);
    for (let i = 0; i < live.length; i++) live[i] += values[i];
    this.clients++;
  }

  async combine(): Promise<Float64Array> {
    return this.live;
  }

  sensitivity(clipNorm: number): number {
    return clipNorm;
  }

  heldBytes(): number {
    return this.live.byteLength;
  }
}
