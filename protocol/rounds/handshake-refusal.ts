/**
 * Why the coordinator refuses a store client's handshake, as both sides name it. The coordinator
 * answers the refused websocket upgrade with an HTTP 4xx whose body is `<reason>: <message>`
 * (server/realtime/round-socket-server.ts); the store client reads that body and either stops
 * (`final`: retrying with the same credentials cannot succeed until an operator acts) or retries
 * (`transient`: the old connection is still closing, or its address holds too many).
 */
export const handshakeRefusals = {
  'handshake-invalid': 'final',
  unauthenticated: 'final',
  'population-unset': 'final',
  'handshake-count-above-population': 'final',
  'duplicate-connection': 'transient',
  'too-many-connections': 'transient',
} as const;

export type HandshakeRefusalReason = keyof typeof handshakeRefusals;

export const handshakeRefusalReasons = Object.keys(handshakeRefusals) as HandshakeRefusalReason[];

export interface HandshakeRefusal {
  /** The HTTP status of the refused upgrade. */
  status: number;
  /** A reason from `handshakeRefusals`, or undefined when the body names none (an internal error, a proxy's page). */
  reason: HandshakeRefusalReason | undefined;
  /** The coordinator's whole explanation (or the body as it came, cut to 500 characters). */
  message: string;
  final: boolean;
}

/**
 * Reads a refused upgrade's answer. Only a reason from the closed list is believed; anything else
 * (an internal error, a proxy in between) is transient, so the client retries as before.
 * @example parseHandshakeRefusal(400, 'unauthenticated: unknown client or wrong token'); // { reason: 'unauthenticated', final: true, … }
 */
export function parseHandshakeRefusal(status: number, body: string): HandshakeRefusal {
  const text = body.slice(0, 500).trim();
  const named = text.slice(0, Math.max(0, text.indexOf(':')));
  const reason = Object.hasOwn(handshakeRefusals, named) ? (named as HandshakeRefusalReason) : undefined;
  return { status, reason, message: text || `HTTP ${status}`, final: reason !== undefined && handshakeRefusals[reason] === 'final' };
}
