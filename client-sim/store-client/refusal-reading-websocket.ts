/**
 * The websocket transport of engine.io-client on Node (the `ws` package), reading the body of a
 * refused upgrade. The coordinator refuses a store client before the websocket exists, with an HTTP
 * 4xx whose body names the reason (protocol/rounds/handshake-refusal.ts); engine.io-client only
 * reports "websocket error" for it, and `ws` drops the body unless an `unexpected-response`
 * listener reads it (https://github.com/websockets/ws/blob/master/doc/ws.md#event-unexpected-response).
 * This transport reads at most 4 KiB of it, hands it over, and then aborts the handshake as `ws`
 * would have, so engine.io-client goes on to report its `connect_error` as before.
 */
import type { ClientRequest, IncomingMessage } from 'node:http';
// From engine.io-client itself (socket.io-client's own transport, pinned to the same range): socket.io-client
// re-exports it from its ESM build only, and its CommonJS build (what the tests load) drops it.
import { NodeWebSocket } from 'engine.io-client';

const maxBodyChars = 4096;

/** What a raw ws WebSocket offers here (engine.io-client types it `any`). */
interface RawWebSocket {
  on(event: 'unexpected-response', listener: (request: ClientRequest, response: IncomingMessage) => void): void;
  terminate(): void;
}

/**
 * A transport class for socket.io-client's `transports` option that calls `onRefused` with the
 * status and body of every refused upgrade, before the connection error is reported.
 * @example io(url, { transports: [refusalReadingWebSocket((status, body) => (refusal = parseHandshakeRefusal(status, body)))] });
 */
export function refusalReadingWebSocket(onRefused: (status: number, body: string) => void): typeof NodeWebSocket {
  return class RefusalReadingWebSocket extends NodeWebSocket {
    override createSocket(uri: string, protocols: string | string[] | undefined, opts: Record<string, unknown>): unknown {
      const socket = super.createSocket(uri, protocols, opts) as RawWebSocket;
      socket.on('unexpected-response', (_request, response) => {
        let body = '';
        let settled = false;
        const settle = (): void => {
          if (settled) return;
          settled = true;
          onRefused(response.statusCode ?? 0, body);
          socket.terminate();
        };
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          body += chunk;
          if (body.length >= maxBodyChars) {
            body = body.slice(0, maxBodyChars);
            settle();
          }
        });
        response.on('end', settle);
        response.on('error', settle);
        response.on('close', settle);
      });
      return socket;
    }
  };
}
