/**
 * Where a round's wall time went on the coordinator, for benchmarks and operators: the engine's
 * own work (broadcast, validation, aggregation, accounting, persistence) against waiting for the
 * clients. Measured with `performance.now()` around each step, a few calls per round and one per
 * answer, so it is always on. Decoding the socket frames happens in the transport before an answer
 * reaches the engine and is not in these figures.
 */
export interface RoundTiming {
  /** From inviting the clients to the released model being stored, ms. */
  wallMs: number;
  /** Serialising the weights once and handing every invited client its request. */
  broadcastMs: number;
  /**
   * From the broadcast to the round closing (every invited client answered, or the deadline):
   * the clients' training and the wire, with the validation, summing and noise that overlap them.
   * What follows (wallMs − broadcastMs − collectMs) is the release after the last answer.
   */
  collectMs: number;
  /** Validating the answers (schema, round, nonce, shape, finiteness, norm bound), accepted or not. */
  validateMs: number;
  /**
   * Summing the accepted updates (as each arrives), then the noise, the fixed denominator,
   * adaptive clipping and the server step.
   */
  aggregateMs: number;
  /** The privacy accountant's RDP composition and (ε, δ) conversion. */
  accountMs: number;
  /** Storing the privacy spend, the round and its model version. */
  persistMs: number;
}

/**
 * The engine's own work in a round, in ms: everything but waiting for the clients.
 * @example coordinatorWorkMs(summary.timing) / summary.timing.wallMs // the coordinator's share
 */
export function coordinatorWorkMs(timing: RoundTiming): number {
  return timing.broadcastMs + timing.validateMs + timing.aggregateMs + timing.accountMs + timing.persistMs;
}
