/**
 * The node HTTP server's own limits, which express cannot set: how long a client may take to send
 * its headers and its whole request, how long a kept-alive or idle socket may sit, and how many
 * sockets may be open at once. Without them a client dripping a body one byte at a time holds a
 * socket and a descriptor for node's 300 s request timeout, checked only every 30 s (measured
 * before these limits: 300 dripping sockets still open after 95 s, 1,000 drips took the process
 * from 28 to 1,329 descriptors).
 *
 * Node's defaults and semantics: https://nodejs.org/api/http.html#serverrequesttimeout (whole
 * request, headers and body), #serverheaderstimeout, #servertimeout (socket inactivity), and
 * `connectionsCheckingInterval` (how often the first two are enforced).
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import { z } from 'zod';

export const serverLimitsSchema = z.object({
  /** Headers and body of one request, ms: an upload of the 64 MiB model limit at ~20 Mbit/s fits. */
  requestTimeoutMs: z.int().positive().default(30_000),
  /** Headers of one request, ms. */
  headersTimeoutMs: z.int().positive().default(10_000),
  /**
   * A socket with no bytes either way, ms; longer than socket.io's 25 s ping interval, so a store
   * client between rounds is not cut (its pings are traffic).
   */
  idleTimeoutMs: z.int().positive().default(60_000),
  /** A kept-alive socket between requests, ms (node's default). */
  keepAliveTimeoutMs: z.int().positive().default(5_000),
  /** Open sockets, store clients included; past it node closes new ones at once. */
  maxConnections: z.int().positive().default(1_024),
});

export type ServerLimits = z.infer<typeof serverLimitsSchema>;

/**
 * @example const server = createLimitedServer(app, { requestTimeoutMs: 30_000 }); server.listen(3000);
 */
export function createLimitedServer(listener: RequestListener, limits: Partial<ServerLimits> = {}): Server {
  const l = serverLimitsSchema.parse(limits);
  const server = createServer(
    {
      requestTimeout: l.requestTimeoutMs,
      headersTimeout: l.headersTimeoutMs,
      keepAliveTimeout: l.keepAliveTimeoutMs,
      // Enforce the two timeouts within a second of passing them, not within node's default 30 s.
      connectionsCheckingInterval: Math.min(1_000, l.headersTimeoutMs, l.requestTimeoutMs),
    },
    listener,
  );
  server.setTimeout(l.idleTimeoutMs, (socket) => socket.destroy());
  server.maxConnections = l.maxConnections;
  return server;
}
