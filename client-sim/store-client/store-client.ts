/**
 * The store-client library a real store app embeds: connects to the coordinator over socket.io
 * with its token, answers each round request with a clipped update sum, and reports evaluation.
 * Weights arrive and updates leave as binary attachments.
 */
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { defaultRandomSource, float32Bytes, handshakeRequestHeaders, parseHandshakeRefusal, roundEvents, roundRequestSchema, type HandshakeRefusal, type RandomSource, type UpdateAck } from '../../protocol/index.ts';
import { deserializeWeights } from '../../models/weights/model-weights.ts';
import { LocalTrainer } from '../../models/training/local-update.ts';
import type { StoreData } from './compute-round-update.ts';
import { defaultPacing, pacedRoundUpdate, type Pacing } from './paced-round-update.ts';
import { HandshakeRefusedError } from './handshake-refused-error.ts';
import { refusalReadingWebSocket } from './refusal-reading-websocket.ts';

export interface StoreClientOptions {
  url: string;
  clientId: string;
  token: string;
  data: StoreData;
  random?: RandomSource;
  log?: (line: string) => void;
  /** For fault-injection tests: rewrite the update before it is sent. */
  tamper?: (update: Record<string, unknown>) => Record<string, unknown>;
  /** For fault-injection tests: answer this long after finishing local training (a slow client). */
  answerDelayMs?: number;
  /** For fault-injection tests: wait this long after each shopper's local training (a slow device that cannot make the deadline). */
  stepDelayMs?: number;
  /** Work per event-loop turn while training, ms (default 10). */
  sliceMs?: number;
  /**
   * Largest message accepted from the coordinator (a round request carries the whole model, 4
   * bytes per parameter). Defaults to the coordinator's own limit on updates, 64 MiB, so any
   * model the coordinator accepts updates for can also reach its clients.
   */
  maxMessageBytes?: number;
  /**
   * Told once when the coordinator refuses a reconnection for good (a wrong or replaced token, no
   * registered population…): the client has stopped, and its host should say why and exit.
   */
  onRefused?: (error: HandshakeRefusedError) => void;
}

/** The coordinator's default `maxMessageBytes` for an authenticated client. */
const defaultMaxMessageBytes = 64 * 1024 * 1024;

export type { UpdateAck };
export { HandshakeRefusedError };

export class StoreClient {
  private socket: Socket | undefined;
  private readonly trainer: LocalTrainer;
  /** Every acknowledgement, newest last: tests and logs read why an update was rejected. */
  readonly acks: UpdateAck[] = [];
  /** Rounds this client abandoned, and why (newest last). */
  readonly abandoned: { round: number; reason: string; steps: number }[] = [];
  /** The round being trained now: a newer request supersedes it. */
  private latestRound = 0;
  /** The refused upgrade of the connection attempt under way, read off the HTTP answer by the transport. */
  private refusal: HandshakeRefusal | undefined;
  /** Set when the coordinator refused this client for good: it stopped and does not retry. */
  refused: HandshakeRefusedError | undefined;

  constructor(readonly options: StoreClientOptions) {
    this.trainer = new LocalTrainer(options.data.features, Number.parseInt(options.clientId.replace(/\D/g, '') || '0', 10) + 1);
  }

  /** Connects and authenticates; resolves once the coordinator accepted the handshake. */
  connect(): Promise<void> {
    const options: Partial<ManagerOptions & SocketOptions> & { maxPayload: number } = {
      // The credentials go in the engine.io handshake's headers, where the coordinator checks them
      // before it agrees to the websocket upgrade (protocol/rounds/handshake.ts). Websocket only:
      // the coordinator refuses long-polling for store clients.
      extraHeaders: handshakeRequestHeaders({ clientId: this.options.clientId, token: this.options.token, shoppers: this.options.data.train.length }),
      // The websocket transport on Node, reading the reason of a refused upgrade (the coordinator's 4xx body).
      transports: [refusalReadingWebSocket((status, body) => (this.refusal = parseHandshakeRefusal(status, body)))],
      // engine.io-client hands `maxPayload` to the ws library on Node (its typings omit it); without
      // it ws's own cap of 100 MiB would apply, a limit nobody chose.
      maxPayload: this.options.maxMessageBytes ?? defaultMaxMessageBytes,
      reconnection: true,
    };
    const socket = io(this.options.url, options);
    this.socket = socket;
    socket.on(roundEvents.start, (request: unknown, weights: Uint8Array) => {
      this.onRound(request, weights).catch((thrown: unknown) => this.options.log?.(`${this.options.clientId}: round failed: ${thrown instanceof Error ? thrown.message : String(thrown)}`));
    });
    let pending: { resolve: () => void; reject: (error: Error) => void } | undefined;
    socket.once('connect', () => {
      pending?.resolve();
      pending = undefined;
    });
    socket.on('connect_error', (err) => {
      const refusal = this.refusal;
      this.refusal = undefined;
      const error = refusal ? new HandshakeRefusedError(this.options.clientId, refusal) : err;
      if (refusal?.final) {
        // Retrying with the same credentials cannot succeed: stop, instead of retrying for ever.
        this.refused = error as HandshakeRefusedError;
        socket.close();
        this.options.log?.(`${this.options.clientId}: stopped: ${error.message}`);
        if (!pending) this.options.onRefused?.(this.refused);
      } else if (refusal) this.options.log?.(`${this.options.clientId}: ${error.message}`);
      pending?.reject(error);
      pending = undefined;
    });
    return new Promise((resolve, reject) => {
      pending = { resolve, reject };
    });
  }

  close(): void {
    this.socket?.disconnect();
    this.trainer.dispose();
  }

  private async onRound(raw: unknown, weightBytes: Uint8Array): Promise<void> {
    const parsed = roundRequestSchema.safeParse(raw);
    if (!parsed.success) {
      this.options.log?.(`${this.options.clientId}: ignoring malformed round request: ${parsed.error.message}`);
      return;
    }
    const request = parsed.data;
    const global = deserializeWeights(new Uint8Array(weightBytes));
    const ticket = ++this.latestRound;
    const pacing: Pacing = {
      ...defaultPacing(request),
      ...(this.options.sliceMs !== undefined ? { sliceMs: this.options.sliceMs } : {}),
      stepDelayMs: this.options.stepDelayMs,
      current: () => ticket === this.latestRound,
    };
    // Training runs in slices with the event loop given back between them, so the socket answers
    // heartbeats meanwhile (socket.io's default 20 s ping timeout holds) and the deadline is kept.
    const outcome = await pacedRoundUpdate(request, global, this.options.data, this.trainer, this.options.random ?? defaultRandomSource(), pacing);
    if ('superseded' in outcome) return;
    if ('abandoned' in outcome) {
      this.abandoned.push({ round: request.round, reason: outcome.abandoned, steps: outcome.steps });
      this.options.log?.(`${this.options.clientId}: round ${request.round} abandoned (${outcome.abandoned}) after ${outcome.steps} steps`);
      const notice = { jobId: request.jobId, round: request.round, modelVersion: request.modelVersion, nonce: request.nonce, reason: outcome.abandoned };
      this.socket?.emit(roundEvents.abandon, notice, (ack: UpdateAck) => {
        if (!ack.ok) this.options.log?.(`${this.options.clientId}: round ${request.round} abandonment refused: ${ack.error?.message}`);
      });
      return;
    }
    const update = outcome.update;
    let message: Record<string, unknown> = {
      jobId: request.jobId,
      round: request.round,
      modelVersion: request.modelVersion,
      nonce: request.nonce,
      sum: float32Bytes(update.sum),
      shoppers: update.shoppers,
      examples: update.examples,
      unclipped: update.unclipped,
      lossSum: update.lossSum,
      ...(update.evaluation ? { evaluation: update.evaluation } : {}),
      ...(update.evaluationSegments ? { evaluationSegments: update.evaluationSegments } : {}),
    };
    if (this.options.tamper) message = this.options.tamper(message);
    const send = (): void => {
      this.socket?.emit(roundEvents.update, message, (ack: UpdateAck) => {
        this.acks.push(ack);
        if (!ack.ok) this.options.log?.(`${this.options.clientId}: round ${request.round} update rejected: ${ack.error?.message}`);
      });
    };
    if (this.options.answerDelayMs) setTimeout(send, this.options.answerDelayMs);
    else send();
  }
}
