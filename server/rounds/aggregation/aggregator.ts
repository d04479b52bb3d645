/**
 * How a round's accepted client sums become one update: the plain sum (DP-FedAvg), or a robust
 * rule (coordinate-wise median, trimmed mean) that a few poisoned clients cannot drag far. Every
 * rule answers the same question, an estimate of Σ of the clients' sums, so the rest of the round
 * (noise, the fixed denominator qN, the server step) is the same whichever rule a job chose; one
 * contract suite (`aggregator-contract.test.ts`) runs against all of them.
 *
 * Privacy: one shopper added or removed changes one client's sum by a vector Δ with ‖Δ‖₂ ≤ C (its
 * update is clipped to C on the client). `sensitivity(C)` is the most that moves the rule's output
 * in L2, and the round's noise is N(0, (σ · sensitivity)²) per coordinate: σ (what the accountant
 * records) is unchanged, so the RDP accountant and the ledger account every rule the same way.
 */
import { z } from 'zod';
import { CoordinateMedian } from './coordinate-median.ts';
import { PlainSum } from './plain-sum.ts';
import { TrimmedMean } from './trimmed-mean.ts';

export const aggregationSchema = z.discriminatedUnion('rule', [
  z.object({ rule: z.literal('sum') }),
  z.object({ rule: z.literal('median') }),
  z.object({
    rule: z.literal('trimmed-mean'),
    /** β: the floor(β·n) largest and floor(β·n) smallest values of each coordinate are dropped. */
    trimFraction: z.number().gt(0).lt(0.5).default(0.2),
  }),
]);
export type AggregationConfig = z.output<typeof aggregationSchema>;
export type AggregationRule = AggregationConfig['rule'];

export interface Aggregator {
  readonly rule: AggregationRule;
  /** Client sums added so far. */
  readonly clients: number;
  /**
   * True when the rule sums as updates arrive: its sensitivity is known when the round opens, so
   * the noise can be drawn into `live` while the clients train (the plain sum). A robust rule needs
   * every sum before it can combine them, and is noised after `combine`.
   */
  readonly streams: boolean;
  /** One client's (validated) sum. */
  add(values: Float32Array): void;
  /** The estimate of Σ client sums, float64. A streaming rule returns its live sum (noise already in). */
  combine(): Promise<Float64Array>;
  /** The most one shopper (‖Δ‖₂ ≤ clipNorm on one client's sum) moves `combine()` in L2. */
  sensitivity(clipNorm: number): number;
  /** Bytes of client data the rule holds now (a robust rule holds every client's sum). */
  heldBytes(): number;
}

/**
 * The most client data one round may hold: 512 MiB, e.g. 1,000 clients × 130,000 parameters or 20
 * stores × 6.7M. Past it a robust rule's round is refused before it opens (the plain sum never is).
 */
export const maxAggregationBytes = 512 * 1024 * 1024;

/**
 * A rule's bytes for `clients` sums of `size` values: what a round of that many clients will hold
 * (robust rules keep each sum as float32 until the round closes; the plain sum one float64 sum).
 */
export function aggregationBytes(config: AggregationConfig, clients: number, size: number): number {
  return config.rule === 'sum' ? size * 8 : clients * size * 4 + size * 8;
}

/** @example const aggregator = createAggregator({ rule: 'median' }, weights.manifest.size); */
export function createAggregator(config: AggregationConfig | undefined, size: number): Aggregator {
  switch (config?.rule ?? 'sum') {
    case 'sum':
      return new PlainSum(size);
    case 'median':
      return new CoordinateMedian(size);
    case 'trimmed-mean':
      return new TrimmedMean(size, (config as { trimFraction: number }).trimFraction);
  }
}
