/**
 * What the round engine needs from a transport (socket.io in `server/realtime/`, or anything
 * else): who is connected, and a way to hand one client a round request with the weights.
 * Answers come back through `TrainingJob.submitUpdate`, so validation stays in the core.
 */
import type { RoundRequest } from '../../protocol/index.ts';

export interface ConnectedClient {
  id: string;
  /** Shoppers the client holds (its population for sampling); a store's size, not a shopper fact. */
  shoppers: number;
}

export interface RoundTransport {
  connectedClients(): ConnectedClient[];
  sendRound(clientId: string, request: RoundRequest, weights: Uint8Array): void;
}
