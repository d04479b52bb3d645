/**
 * The dashboard's socket.io namespace (`/dashboard`): pushes each finished round to browsers that
 * connected with an engineer or admin API key. It is its own socket.io server on its own path
 * (`/dashboard-socket`), not a namespace of the round server, because the round server admits
 * peers in engine.io's `allowRequest` with store-client credentials, before any namespace exists;
 * a browser's WebSocket cannot send those headers, and loosening that check would reopen the
 * memory-before-authentication hole `test/hostile/` closes.
 *
 * A browser cannot set headers on a WebSocket either, so the key travels in socket.io's handshake
 * `auth` payload, checked by the namespace middleware with the same `authorize` every REST route
 * uses. Until then a peer holds a transport, so the message limit is small (8 KB: the handshake is
 * the only message a dashboard sends) and nothing it sends is read. Keys are checked again before
 * every push, so a revoked key stops receiving within the key cache's 1 s.
 */
import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import { z } from 'zod';
import { toFedrecError } from '../errors/index.ts';
import { authorize, type RouteAccess } from '../governance/index.ts';
import type { RoundSummary } from '../rounds/index.ts';
import type { FedrecStore } from '../store/fedrec-store.ts';
import { dashboardEvents, roundEventOf } from './dashboard-round-event.ts';

export const dashboardSocketPath = '/dashboard-socket';
export const dashboardNamespace = '/dashboard';

/** Training events are for whoever runs training and whoever operates the deployment. */
const trainingEventsAccess: RouteAccess = { roles: ['engineer', 'admin'] };

const handshakeAuth = z.object({ key: z.string().min(1).max(200) });

export class DashboardSocketServer {
  readonly io: Server;

  constructor(httpServer: HttpServer, private readonly store: FedrecStore) {
    this.io = new Server(httpServer, {
      path: dashboardSocketPath,
      serveClient: false,
      transports: ['websocket'],
      maxHttpBufferSize: 8 * 1024,
      // Same origin only: the page is served by this server (a browser sends Origin on WebSockets).
      allowRequest: (req, callback) => callback(null, req.headers.origin === undefined || sameOrigin(req.headers.origin, req.headers.host)),
    });
    // The default namespace serves nothing: a peer that asks for it is refused.
    this.io.of('/').use((_socket, next) => next(new Error('not-found: connect to the /dashboard namespace')));
    this.io.of(dashboardNamespace).use((socket, next) => {
      this.authorized(socket).then(
        () => next(),
        (thrown: unknown) => {
          const error = toFedrecError(thrown);
          next(new Error(`${error.code}: ${error.code === 'internal' ? 'could not check the key' : error.message}`));
        },
      );
    });
  }

  /** Sends one finished round to every dashboard whose key is still valid. */
  async publishRound(summary: RoundSummary): Promise<void> {
    const event = roundEventOf(summary);
    for (const socket of this.io.of(dashboardNamespace).sockets.values()) {
      try {
        await this.authorized(socket);
        socket.emit(dashboardEvents.roundFinished, event);
      } catch {
        socket.disconnect(true);
      }
    }
  }

  /** Disconnects every dashboard and stops the engine; the HTTP server is the host's to close. */
  close(): void {
    this.io.of(dashboardNamespace).disconnectSockets(true);
    this.io.engine.close();
  }

  private async authorized(socket: Socket): Promise<void> {
    const parsed = handshakeAuth.safeParse(socket.handshake.auth);
    const key = parsed.success ? parsed.data.key : undefined;
    const principal = await authorize(trainingEventsAccess, key === undefined ? undefined : `Bearer ${key}`, { store: this.store });
    socket.data.keyId = principal?.keyId;
  }
}

function sameOrigin(origin: string, host: string | undefined): boolean {
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}
