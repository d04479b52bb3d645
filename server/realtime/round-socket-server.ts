/**
 * The socket.io adapter for training rounds: admits store clients before the websocket exists,
 * sends each round's request with the weights as one binary attachment, and hands every answer to
 * the core, acknowledging it with `{ ok: true }` or the FedrecError reason. It decides nothing
 * about rounds; it only keeps one peer from costing the coordinator more than its share:
 *
 * - Credentials are checked in engine.io's `allowRequest`, on the handshake request's headers
 *   (protocol/rounds/handshake.ts), so an anonymous or unknown peer is answered 403/400 and never
 *   gets a websocket: no frame of its reaches the message buffers. Only websocket is offered (no
 *   long-polling POST bodies), and each address holds at most `maxConnectionsPerAddress`.
 * - One live connection per client: a second one with the same credentials is refused while the
 *   first lives (it no longer replaces it, which let a stolen token knock the store off silently).
 * - Per client, a message rate (token bucket) and a byte allowance per round attempt it was
 *   invited to (client-allowance.ts), kept by client id across reconnects; each packet is counted
 *   against the attempt it answers (packet-attribution.ts). A client past either is refused, and
 *   disconnected once it keeps on.
 */
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import { handshakeHeaders, handshakeSchema, roundEvents, type RoundRequest } from '../../protocol/index.ts';
import { toFedrecError } from '../errors/index.ts';
import { processLogger } from '../operations/logger.ts';
import type { ConnectedClient, RejectionReason, RoundTransport } from '../rounds/index.ts';
import type { FedrecStore } from '../store/fedrec-store.ts';
import { tokenMatches } from './client-token.ts';
import { ClientAllowance, describeBudget, spend } from './client-allowance.ts';
import { PacketAttribution } from './packet-attribution.ts';

export interface RoundSocketOptions {
  /**
   * Largest message accepted from an authenticated client. Updates are 4 bytes per parameter plus a
   * small header; the default admits models of up to ~16M parameters. Nobody else can send one:
   * unauthenticated peers never get a transport.
   */
  maxMessageBytes?: number;
  /**
   * How long a client may not answer a heartbeat before it is dropped: socket.io's default 20 s.
   * (It was 120 s while store clients trained synchronously in their socket handler; they now train
   * in slices with the event loop given back, client-sim/store-client/paced-round-update.ts.)
   */
  pingTimeoutMs?: number;
  /** Connections (admitted or being admitted) one IP address may hold. */
  maxConnectionsPerAddress?: number;
  /** Sustained messages per second a client may send, and the burst above it. */
  messagesPerSecond?: number;
  messageBurst?: number;
  log?: (line: string) => void;
}

type UpdateHandler = (clientId: string, raw: unknown) => void;
type RejectionHandler = (reason: RejectionReason) => void;

/** What `allowRequest` learned about an admitted handshake, for the connection that follows. */
interface Admission {
  clientId: string;
  population: number;
}

/** A client admitted but not yet connected holds its id this long at most. */
const admissionTtlMs = 10_000;

export class RoundSocketServer implements RoundTransport {
  readonly io: Server;
  private readonly sockets = new Map<string, { socket: Socket; population: number }>();
  /**
   * Per client id, not per socket: an answer sent after a reconnect counts against the attempt it
   * answers. Only admitted (registered) clients get one, so this holds one small entry per
   * registered client at most.
   */
  private readonly allowances = new Map<string, ClientAllowance>();
  private readonly admitted = new WeakMap<IncomingMessage, Admission>();
  /** Client ids admitted whose connection has not arrived yet, with when they were admitted. */
  private readonly pending = new Map<string, number>();
  /** Live and pending connections per remote address. */
  private readonly perAddress = new Map<string, number>();
  private handler: UpdateHandler = () => {
    throw new Error('no round engine attached');
  };
  private rejection: RejectionHandler = () => {};
  private abandonment: UpdateHandler = () => {
    throw new Error('no round engine attached');
  };
  private readonly options: Required<Omit<RoundSocketOptions, 'log'>> & { log?: (line: string) => void };

  constructor(httpServer: HttpServer, private readonly store: FedrecStore, options: RoundSocketOptions = {}) {
    this.options = {
      maxMessageBytes: options.maxMessageBytes ?? 64 * 1024 * 1024,
      pingTimeoutMs: options.pingTimeoutMs ?? 20_000,
      maxConnectionsPerAddress: options.maxConnectionsPerAddress ?? 64,
      messagesPerSecond: options.messagesPerSecond ?? 5,
      messageBurst: options.messageBurst ?? 20,
      log: options.log,
    };
    this.io = new Server(httpServer, {
      maxHttpBufferSize: this.options.maxMessageBytes,
      pingTimeout: this.options.pingTimeoutMs,
      pingInterval: 25_000,
      transports: ['websocket'],
      allowRequest: (req, callback) => {
        this.admit(req).then(
          (refusal) => callback(refusal ?? null, refusal === undefined),
          () => callback('internal: could not check the client', false),
        );
      },
    });
    this.io.use((socket, next) => {
      const admission = this.admitted.get(socket.request);
      if (!admission) return next(new Error('unauthenticated: the handshake was not admitted'));
      socket.data.clientId = admission.clientId;
      socket.data.population = admission.population;
      next();
    });
    this.io.on('connection', (socket) => this.onConnection(socket));
  }

  /** The round engine's entry point for answers. */
  onUpdate(handler: UpdateHandler): void {
    this.handler = handler;
  }

  /** Where a client's abandonment of a round goes (the round engine). */
  onAbandon(handler: UpdateHandler): void {
    this.abandonment = handler;
  }

  /** Where refusals at the handshake and on the wire are counted. */
  onRejection(handler: RejectionHandler): void {
    this.rejection = handler;
  }

  /** Connected clients with their registered populations (never what they claimed). */
  connectedClients(): ConnectedClient[] {
    return [...this.sockets.entries()].map(([id, s]) => ({ id, shoppers: s.population }));
  }

  sendRound(clientId: string, request: RoundRequest, weights: Uint8Array): void {
    const entry = this.sockets.get(clientId);
    if (!entry) return;
    this.allowanceOf(clientId).openAttempt(request.nonce, weights.byteLength);
    entry.socket.emit(roundEvents.start, request, weights);
  }

  private allowanceOf(clientId: string): ClientAllowance {
    let allowance = this.allowances.get(clientId);
    if (!allowance) {
      allowance = new ClientAllowance({ messagesPerSecond: this.options.messagesPerSecond, burst: this.options.messageBurst });
      this.allowances.set(clientId, allowance);
    }
    return allowance;
  }

  async close(): Promise<void> {
    await this.io.close();
  }

  /** Undefined when the handshake may go on, else the reason it is refused (sent as the 403 body). */
  private async admit(req: IncomingMessage): Promise<string | undefined> {
    const address = req.socket.remoteAddress ?? 'unknown';
    const refuse = (reason: RejectionReason, message: string): string => {
      this.rejection(reason);
      this.options.log?.(`refused a store client handshake from ${address}: ${reason}: ${message}`);
      return `${reason}: ${message}`;
    };
    if ((this.perAddress.get(address) ?? 0) >= this.options.maxConnectionsPerAddress) {
      return refuse('too-many-connections', `${address} already holds ${this.options.maxConnectionsPerAddress} connections`);
    }
    const parsed = handshakeSchema.safeParse({
      clientId: req.headers[handshakeHeaders.clientId],
      token: req.headers[handshakeHeaders.token],
      shoppers: req.headers[handshakeHeaders.shoppers],
    });
    if (!parsed.success) return refuse('handshake-invalid', `the handshake needs valid ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')} headers`);
    this.track(address, +1);
    let admitted = false;
    try {
      const client = await this.store.getClient(parsed.data.clientId);
      if (!client || !tokenMatches(parsed.data.token, client.tokenHash)) return refuse('unauthenticated', 'unknown client or wrong token');
      if (client.population === 0) return refuse('population-unset', `client ${client.id} has no registered population: the operator sets it (PUT /v1/clients/{id}/population)`);
      if (parsed.data.shoppers > client.population) {
        return refuse('handshake-count-above-population', `client ${client.id} declares ${parsed.data.shoppers} shoppers, its registered population is ${client.population}`);
      }
      const since = this.pending.get(client.id);
      if (this.sockets.has(client.id) || (since !== undefined && Date.now() - since < admissionTtlMs)) {
        return refuse('duplicate-connection', `client ${client.id} is already connected: a second connection with the same credentials is refused while the first lives`);
      }
      this.pending.set(client.id, Date.now());
      this.admitted.set(req, { clientId: client.id, population: client.population });
      admitted = true;
      void this.store.touchClient(client.id).catch(() => {});
      return undefined;
    } finally {
      // An admitted handshake keeps its slot until its connection closes (see onConnection).
      if (!admitted) this.track(address, -1);
      else setTimeout(() => this.releaseIfNeverConnected(req, address), admissionTtlMs).unref();
    }
  }

  private releaseIfNeverConnected(req: IncomingMessage, address: string): void {
    const admission = this.admitted.get(req);
    if (!admission) return;
    this.admitted.delete(req);
    if (this.pending.get(admission.clientId) !== undefined && !this.sockets.has(admission.clientId)) this.pending.delete(admission.clientId);
    this.track(address, -1);
  }

  private track(address: string, change: 1 | -1): void {
    const next = (this.perAddress.get(address) ?? 0) + change;
    if (next <= 0) this.perAddress.delete(address);
    else this.perAddress.set(address, next);
  }

  private onConnection(socket: Socket): void {
    const { log } = this.options;
    const clientId = socket.data.clientId as string;
    const population = socket.data.population as number;
    const address = socket.request.socket.remoteAddress ?? 'unknown';
    // The admission is used: its slot now lives as long as the connection.
    this.admitted.delete(socket.request);
    this.pending.delete(clientId);
    const allowance = this.allowanceOf(clientId);
    const attribution = new PacketAttribution(allowance);
    this.sockets.set(clientId, { socket, population });
    log?.(`client ${clientId} connected (registered population ${population})`);
    // Bytes are counted as engine.io hands over each packet, before socket.io decodes it.
    socket.conn.on('packet', (packet: { type?: string; data?: unknown }) => {
      const { budget, bytes } = attribution.of(packet);
      if (spend(budget, bytes) || socket.disconnected) return;
      this.rejection('round-bytes-exceeded');
      log?.(`client ${clientId} disconnected: round-bytes-exceeded (${describeBudget(budget)})`);
      socket.disconnect(true);
    });
    socket.on('disconnect', () => {
      if (this.sockets.get(clientId)?.socket === socket) this.sockets.delete(clientId);
      this.track(address, -1);
    });
    socket.on(roundEvents.update, (raw: unknown, ack: unknown) => this.onMessage(clientId, socket, allowance, (id, message) => this.handler(id, message), raw, ack));
    socket.on(roundEvents.abandon, (raw: unknown, ack: unknown) => this.onMessage(clientId, socket, allowance, (id, message) => this.abandonment(id, message), raw, ack));
  }

  /** An update or an abandonment: rate-limited alike, handed to the engine, acknowledged with its verdict. */
  private onMessage(clientId: string, socket: Socket, allowance: ClientAllowance, handler: UpdateHandler, raw: unknown, ack: unknown): void {
    const { log } = this.options;
    if (typeof ack !== 'function') return;
    if (!allowance.takeMessage()) {
      this.rejection('rate-limited');
      ack({ ok: false, error: { code: 'invalid-input', message: `rate-limited: more than ${this.options.messagesPerSecond} messages a second (burst ${this.options.messageBurst})` } });
      if (allowance.abusive()) {
        log?.(`client ${clientId} disconnected: rate-limited, kept sending`);
        socket.disconnect(true);
      }
      return;
    }
    try {
      handler(clientId, raw);
      ack({ ok: true });
    } catch (thrown) {
      const error = toFedrecError(thrown);
      if (error.code === 'internal') (log ?? ((line: string) => processLogger().error(line)))(`round:update from ${clientId} failed: ${thrown instanceof Error ? thrown.stack : String(thrown)}`);
      ack({ ok: false, error: error.toJSON().error });
    }
  }
}
