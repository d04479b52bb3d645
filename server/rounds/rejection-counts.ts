/**
 * Why the coordinator refused something a store client sent, as a closed set of reasons, and how
 * often each happened. Every refusal names its reason (in the error message a client reads and in
 * these counts), so an operator or a metrics exporter can tell a flood from a poisoning attempt.
 */
import { handshakeRefusalReasons } from '../../protocol/index.ts';

export const rejectionReasons = [
  // At the handshake, before any websocket exists (server/realtime/); the store client reads them too (protocol/).
  ...handshakeRefusalReasons,
  // On the wire, before an update is decoded.
  'rate-limited',
  'round-bytes-exceeded',
  // In an update (server/rounds/validate-update.ts).
  'update-invalid',
  'stale-update',
  // An answer to a round attempt this client was invited to and that closed before it came (a retry may be open now).
  'round-closed',
  'replayed-update',
  'wrong-nonce',
  'duplicate-update',
  'wrong-size',
  'count-above-population',
  'count-implausible',
  'unclipped-above-sampled',
  'loss-sum-invalid',
  'evaluation-invalid',
  'non-finite-update',
  // Without DP: the sum's norm past examples × the weight bound (server/rounds/weight-bound.ts).
  'norm-bound',
  // With DP: the sum's norm past its sampled shoppers × C, which no sum of clipped updates can reach.
  'norm-anomaly',
] as const;

export type RejectionReason = (typeof rejectionReasons)[number];

export class RejectionCounts {
  private readonly counts = new Map<RejectionReason, number>();

  add(reason: RejectionReason): void {
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + 1);
  }

  /** The reasons seen so far and their counts (reasons never seen are absent). */
  snapshot(): Partial<Record<RejectionReason, number>> {
    return Object.fromEntries(this.counts) as Partial<Record<RejectionReason, number>>;
  }
}
