/**
 * The store-client library a real store app embeds: connects to the coordinator over socket.io
 * with its token, answers each round request with a clipped update sum, and reports evaluation.
 * Weights arrive and updates leave as binary attachments.
 */
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { defaultRandomSource, float32Bytes, handshakeRequestHeaders, roundEvents, roundRequestSchema, type RandomSource, type UpdateAck } from '../../protocol/index.ts';
import { deserializeWeights } from '../../models/weights/model-weights.ts';
import { LocalTrainer } from '../../models/training/local-update.ts';
import { computeRoundUpdate, type StoreData } from './compute-round-update.ts';

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
  /**
   * Largest message accepted from the coordinator (a round request carries the whole model, 4
   * bytes per parameter). Defaults to the coordinator's own limit on updates, 64 MiB, so any
   * model the coordinator accepts updates for can also reach its clients.
   */
  maxMessageBytes?: number;
}

/** The coordinator's default `maxMessageBytes` for an authenticated client. */
const defaultMaxMessageBytes = 64 * 1024 * 1024;

export type { UpdateAck };

export class StoreClient {
  private socket: Socket | undefined;
  private readonly trainer: LocalTrainer;
  /** Every acknowledgement, newest last: tests and logs read why an update was rejected. */
  readonly acks: UpdateAck[] = [];

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
      transports: ['websocket'],
      // engine.io-client hands `maxPayload` to the ws library on Node (its typings omit it); without
      // it ws's own cap of 100 MiB would apply, a limit nobody chose.
      maxPayload: this.options.maxMessageBytes ?? defaultMaxMessageBytes,
      reconnection: true,
    };
    const socket = io(this.options.url, options);
    this.socket = socket;
    socket.on(roundEvents.start, (request: unknown, weights: Uint8Array) => this.onRound(request, weights));
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (err) => reject(err));
    });
  }

  close(): void {
    this.socket?.disconnect();
    this.trainer.dispose();
  }

  private onRound(raw: unknown, weightBytes: Uint8Array): void {
    const parsed = roundRequestSchema.safeParse(raw);
    if (!parsed.success) {
      this.options.log?.(`${this.options.clientId}: ignoring malformed round request: ${parsed.error.message}`);
      return;
    }
    const request = parsed.data;
    const global = deserializeWeights(new Uint8Array(weightBytes));
    const update = computeRoundUpdate(request, global, this.options.data, this.trainer, this.options.random ?? defaultRandomSource());
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
