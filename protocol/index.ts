/**
 * The store-client protocol: what a store and the coordinator exchange (round messages, their zod
 * schemas, the binary wire format, the handshake), the bounds the coordinator holds counts to, and
 * the privacy steps a store runs before anything leaves it (Poisson sampling from a CSPRNG,
 * per-shopper clipping). Both `server/` and `client-sim/store-client/` import it; it imports
 * neither, so a store deployment needs no server code.
 */
export { abandonReasons, clientUpdateSchema, float32Bytes, roundAbandonSchema, roundRequestSchema, toFloat32 } from './rounds/round-messages.ts';
export type { AbandonReason, ClientUpdate, RoundAbandon, RoundRequest } from './rounds/round-messages.ts';
export { handshakeHeaders, handshakeRequestHeaders, handshakeSchema, roundEvents } from './rounds/handshake.ts';
export type { ClientCredentials, Handshake, UpdateAck } from './rounds/handshake.ts';
export { handshakeRefusalReasons, handshakeRefusals, parseHandshakeRefusal } from './rounds/handshake-refusal.ts';
export type { HandshakeRefusal, HandshakeRefusalReason } from './rounds/handshake-refusal.ts';
export { addCounts, falseRejectionProbability, sampledCountBound } from './rounds/count-bounds.ts';
export { CryptoRandomSource, SeededRandomSource, defaultRandomSource } from './privacy/secure-random.ts';
export type { RandomSource } from './privacy/secure-random.ts';
export { addGaussian, fillGaussian, standardNormal } from './privacy/gaussian-noise.ts';
export { poissonSample } from './privacy/poisson-sample.ts';
export { clipUpdate } from './privacy/clip-update.ts';
export { historyBand, historyBands } from './rounds/history-band.ts';
export type { HistoryBand } from './rounds/history-band.ts';
