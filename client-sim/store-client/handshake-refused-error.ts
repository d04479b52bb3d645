/**
 * The coordinator refused this store client's connection and said why (protocol/rounds/
 * handshake-refusal.ts). `refusal.final` refusals stop the client: with the same credentials no
 * retry can succeed until an operator acts (a new token, a registered population).
 */
import type { HandshakeRefusal } from '../../protocol/index.ts';

export class HandshakeRefusedError extends Error {
  constructor(
    readonly clientId: string,
    readonly refusal: HandshakeRefusal,
  ) {
    super(`the coordinator refused store client ${clientId} (HTTP ${refusal.status}): ${refusal.message}${refusal.final ? '' : ' (retrying)'}`);
    this.name = 'HandshakeRefusedError';
  }
}
