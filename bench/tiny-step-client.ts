/**
 * A thin store client for the round benches that speaks the real round protocol (handshake auth,
 * `round:start` with the weights as a binary attachment, `round:update` with the update sum as one)
 * but trains almost nothing: its one tiny local step nudges one item's rows for one shopper. Like
 * the real client (`compute-round-update.ts`) it clips the shopper's sparse delta, scatters it into
 * a full-length sum and sends that. A round of these measures the coordinator and the wire, not
 * local training.
 */
import { io, type Socket } from 'socket.io-client';
import { clipUpdate } from '../protocol/index.ts';
import { deserializeWeights, type ModelWeights } from '../models/weights/model-weights.ts';
import { float32Bytes, handshakeRequestHeaders, roundRequestSchema, type RoundRequest } from '../protocol/index.ts';

export interface TinyStepClientOptions {
  url: string;
  clientId: string;
  token: string;
  /** The population this client reports at the handshake (it always answers for one shopper). */
  shoppers: number;
  log?: (line: string) => void;
}

export class TinyStepClient {
  private socket: Socket | undefined;
  private rejected = 0;

  constructor(private readonly options: TinyStepClientOptions) {}

  connect(): Promise<void> {
    const { url, clientId, token, shoppers } = this.options;
    const socket = io(url, { extraHeaders: handshakeRequestHeaders({ clientId, token, shoppers }), transports: ['websocket'], reconnection: false });
    this.socket = socket;
    socket.on('round:start', (raw: unknown, weights: Uint8Array) => this.answer(raw, weights));
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
  }

  close(): void {
    this.socket?.disconnect();
  }

  private answer(raw: unknown, weightBytes: Uint8Array): void {
    const parsed = roundRequestSchema.safeParse(raw);
    if (!parsed.success) throw new Error(`${this.options.clientId}: malformed round request: ${parsed.error.message}`);
    const request = parsed.data;
    const global = deserializeWeights(weightBytes);
    const delta = tinyStep(global, request);
    const norm = request.clipNorm === undefined ? 0 : clipUpdate(delta.values, request.clipNorm);
    const sum = new Float32Array(global.manifest.size);
    delta.indices.forEach((i, k) => (sum[i] = delta.values[k]));
    const message = {
      jobId: request.jobId,
      round: request.round,
      modelVersion: request.modelVersion,
      nonce: request.nonce,
      sum: float32Bytes(sum),
      shoppers: 1,
      examples: 1,
      unclipped: request.clipNorm === undefined || norm <= request.clipNorm ? 1 : 0,
      lossSum: 0.69,
    };
    this.socket?.emit('round:update', message, (ack: { ok: boolean; error?: { message: string } }) => {
      if (!ack.ok && this.rejected++ === 0) this.options.log?.(`${this.options.clientId}: update rejected: ${ack.error?.message}`);
    });
  }
}

/**
 * One shopper's step touching one item, as a sparse delta: the item's row of every per-item
 * parameter moves by lr · 0.1 against the sign of its weight.
 */
function tinyStep(global: ModelWeights, request: RoundRequest): { indices: number[]; values: Float32Array } {
  const items = (global.manifest.parameters.find((p) => p.name === 'itemBias')?.shape[0]) ?? 1;
  const item = request.round % items;
  const indices: number[] = [];
  for (const p of global.manifest.parameters) {
    if (p.shape[0] !== items) continue;
    const width = p.length / items;
    for (let i = p.offset + item * width; i < p.offset + (item + 1) * width; i++) indices.push(i);
  }
  const values = Float32Array.from(indices, (i) => request.clientLearningRate * 0.1 * (global.values[i] >= 0 ? -1 : 1));
  return { indices, values };
}
