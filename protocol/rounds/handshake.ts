/**
 * How a store client proves who it is, and what the coordinator learns from it. The credentials
 * travel as HTTP headers of the engine.io handshake request, not in socket.io's `auth` packet: the
 * packet arrives only after the websocket is up, and the coordinator checks them before it agrees
 * to the upgrade (socket.io `allowRequest`), so an anonymous peer never holds a socket that can
 * carry a large frame.
 */
import { z } from 'zod';

/** What a store client needs to connect; the token exists nowhere else once this is dropped. */
export interface ClientCredentials {
  clientId: string;
  storeId: string;
  token: string;
}

/** Header names (lower case, as node:http presents them). */
export const handshakeHeaders = { clientId: 'x-fedrec-client-id', token: 'x-fedrec-client-token', shoppers: 'x-fedrec-shoppers' } as const;

/**
 * The handshake as the coordinator parses it. `shoppers` is the client's claim of the shoppers it
 * holds: the coordinator never uses it for q or a denominator (the registered population is the
 * truth), it only refuses a claim above that population.
 */
export const handshakeSchema = z.object({
  clientId: z.string().min(1).max(200),
  token: z.string().min(1).max(500),
  shoppers: z.coerce.number().pipe(z.int().nonnegative().max(Number.MAX_SAFE_INTEGER)),
});
export type Handshake = z.infer<typeof handshakeSchema>;

/** The headers a client sends for `handshakeSchema`. */
export function handshakeRequestHeaders(handshake: Handshake): Record<string, string> {
  return { [handshakeHeaders.clientId]: handshake.clientId, [handshakeHeaders.token]: handshake.token, [handshakeHeaders.shoppers]: String(handshake.shoppers) };
}

/** Socket.io event names of a round. */
export const roundEvents = { start: 'round:start', update: 'round:update', abandon: 'round:abandon' } as const;

/** What the coordinator acknowledges an update with. */
export interface UpdateAck {
  ok: boolean;
  error?: { code: string; message: string };
}
