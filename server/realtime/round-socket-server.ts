/**
 * The socket.io adapter for training rounds: authenticates store clients at the handshake,
 * sends each round's request with the weights as one binary attachment, and hands every answer to
 * the core, acknowledging it with `{ ok: true }` or the FedrecError reason. It decides nothing.
 */
import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import { z } from 'zod';
import { toFedrecError } from '../errors/index.ts';
import { processLogger } from '../operations/logger.ts';
import type { ConnectedClient, RoundRequest, RoundTransport } from '../rounds/index.ts';
import type { FedrecStore } from '../store/fedrec-store.ts';
import { tokenMatches } from './client-token.ts';

export interface RoundSocketOptions {
  /**
   * Largest message accepted. Updates are 4 bytes per parameter plus a small header; the default
   * admits models of up to ~16M parameters and rejects anything bigger before it is buffered whole.
   */
  maxMessageBytes?: number;
  /** Local training blocks a client's event loop; a long ping timeout keeps it connected meanwhile. */
  pingTimeoutMs?: number;
  log?: (line: string) => void;
  /** Told the error code of every update it refuses (the operations metrics count them by reason). */
  onRejectedUpdate?: (reason: string) => void;
}

const handshakeSchema = z.object({ clientId: z.string().min(1).max(200), token: z.string().min(1).max(500), shoppers: z.int().nonnegative() });

type UpdateHandler = (clientId: string, raw: unknown) => void;

export class RoundSocketServer implements RoundTransport {
  readonly io: Server;
  private readonly sockets = new Map<string, { socket: Socket; shoppers: number }>();
  private handler: UpdateHandler = () => {
    throw new Error('no round engine attached');
  };

  private readonly onRejectedUpdate?: (reason: string) => void;

  constructor(httpServer: HttpServer, store: FedrecStore, options: RoundSocketOptions = {}) {
    this.onRejectedUpdate = options.onRejectedUpdate;
    this.io = new Server(httpServer, {
      maxHttpBufferSize: options.maxMessageBytes ?? 64 * 1024 * 1024,
      pingTimeout: options.pingTimeoutMs ?? 120_000,
      pingInterval: 25_000,
    });
    this.io.use((socket, next) => {
      const parsed = handshakeSchema.safeParse(socket.handshake.auth);
      if (!parsed.success) return next(new Error(`invalid-input: handshake needs clientId, token and shoppers (${parsed.error.issues.map((i) => i.path.join('.')).join(', ')})`));
      store.getClient(parsed.data.clientId).then(
        (client) => {
          if (!client || !tokenMatches(parsed.data.token, client.tokenHash)) return next(new Error('unauthenticated: unknown client or wrong token'));
          socket.data.clientId = client.id;
          socket.data.shoppers = parsed.data.shoppers;
          void store.touchClient(client.id);
          next();
        },
        () => next(new Error('internal: could not check the client')),
      );
    });
    this.io.on('connection', (socket) => this.onConnection(socket, options.log));
  }

  /** The round engine's entry point for answers. */
  onUpdate(handler: UpdateHandler): void {
    this.handler = handler;
  }

  connectedClients(): ConnectedClient[] {
    return [...this.sockets.entries()].map(([id, s]) => ({ id, shoppers: s.shoppers }));
  }

  sendRound(clientId: string, request: RoundRequest, weights: Uint8Array): void {
    this.sockets.get(clientId)?.socket.emit('round:start', request, weights);
  }

  async close(): Promise<void> {
    await this.io.close();
  }

  private onConnection(socket: Socket, log?: (line: string) => void): void {
    const clientId = socket.data.clientId as string;
    // One live connection per client: a reconnect replaces the old socket.
    this.sockets.get(clientId)?.socket.disconnect(true);
    this.sockets.set(clientId, { socket, shoppers: socket.data.shoppers as number });
    log?.(`client ${clientId} connected (${socket.data.shoppers} shoppers)`);
    socket.on('disconnect', () => {
      if (this.sockets.get(clientId)?.socket === socket) this.sockets.delete(clientId);
    });
    socket.on('round:update', (raw: unknown, ack: unknown) => {
      if (typeof ack !== 'function') return;
      try {
        this.handler(clientId, raw);
        ack({ ok: true });
      } catch (thrown) {
        const error = toFedrecError(thrown);
        this.onRejectedUpdate?.(error.code);
        if (error.code === 'internal') (log ?? ((line: string) => processLogger().error(line)))(`round:update from ${clientId} failed: ${thrown instanceof Error ? thrown.stack : String(thrown)}`);
        ack({ ok: false, error: error.toJSON().error });
      }
    });
  }
}
