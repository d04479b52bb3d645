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
import { createServer, type RequestListener, type Server, type ServerOptions } from 'node:http';
import type { Duplex } from 'node:stream';
import { z } from 'zod';
import { FedrecError, type ErrorCode } from '../errors/index.ts';

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
 * @example const server = createLimitedServer(app, { requestTimeoutMs: 30_000 }, messageClasses()); server.listen(3000);
 */
export function createLimitedServer(listener: RequestListener, limits: Partial<ServerLimits> = {}, classes?: Pick<ServerOptions, 'IncomingMessage' | 'ServerResponse'>): Server {
  const l = serverLimitsSchema.parse(limits);
  const server = createServer(
    {
      // The classes node builds requests and responses with (express-message-classes.ts).
      ...classes,
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
  server.on('clientError', answerClientError);
  return server;
}

/**
 * What node's HTTP parser refuses before any route runs (headers over 16 KiB, a malformed request
 * line, a timed-out request) is answered in the API's error shape, as node's docs show
 * (https://nodejs.org/api/http.html#event-clienterror), instead of node's bare status line.
 */
function answerClientError(failure: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Duplex): void {
  // A reset or a socket already answered and closing: nothing to say.
  if (failure.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const code: ErrorCode = failure.code === 'HPE_HEADER_OVERFLOW' ? 'headers-too-large' : failure.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 'request-timeout' : 'invalid-input';
  const message = code === 'headers-too-large' ? 'request headers are too large' : code === 'request-timeout' ? 'the request did not arrive in time' : 'malformed HTTP request';
  const error = new FedrecError(code, message);
  const { status } = error;
  const body = JSON.stringify(error.toJSON());
  // A HEAD request (when its line was read at all) gets the head only, as HTTP says.
  const head = failure.rawPacket?.subarray(0, 5).toString('latin1') === 'HEAD ';
  const response = `HTTP/1.1 ${status} ${code}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${head ? '' : body}`;
  // Ended and then destroyed: a client still dripping bytes must not keep the socket half-open.
  socket.end(response, () => socket.destroy());
}
