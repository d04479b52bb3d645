/**
 * The hostile-client suite's federation: one honest store client (seeded: its sampling, its
 * local training and the coordinator's DP noise replay bit for bit), and attackers that join once
 * the job has started. Joining after the start keeps the job's population, q and qN those of the
 * honest client alone, so the model after the job can be compared bit for bit with the same job
 * run without any attacker.
 */
import { io, type Socket } from 'socket.io-client';
import { handshakeRequestHeaders, type Handshake } from '../../protocol/index.ts';
import type { StoreClient, StoreClientOptions } from '../../client-sim/store-client/store-client.ts';
import { hashToken, issueClientToken } from '../../server/realtime/index.ts';
import type { JobStatus } from '../../server/store/fedrec-store.ts';
import { startFederation, waitFor, type Federation } from '../helpers/federation-harness.ts';

/** Long enough a round for an attacker to join before round 2 opens, short enough for CI. */
export const honestAnswerDelayMs = 300;

export const dpJob = {
  rounds: 3,
  samplingRate: 0.5,
  minClients: 1,
  roundDeadlineMs: 10_000,
  roundRetries: 0,
  evaluateEvery: 3,
  privacy: { mode: 'dp', clipNorm: 0.5, noiseMultiplier: 1.0, delta: 1e-5 },
} as const;

export const plainJob = { ...dpJob, privacy: { mode: 'none' } } as const;

export interface JobRun {
  status: JobStatus;
  statusDetail: string;
  /** The model version the job released last, as bytes. */
  weights: Buffer;
  values: Float32Array;
  metrics: Record<string, number>[];
}

/**
 * Runs `config` on a fresh federation with the honest client only, calling `attack` once the job
 * has started (it may connect attackers through the federation), and returns what the job left.
 */
export async function runJob(
  config: Record<string, unknown>,
  attack?: (federation: Federation) => Promise<void>,
  honest: Partial<StoreClientOptions> = {},
): Promise<JobRun & { federation: Federation }> {
  const federation = await startFederation({ connect: 0 });
  await federation.addClient(0, { answerDelayMs: honestAnswerDelayMs, ...honest });
  try {
    const { jobId, done } = await federation.coordinator.startJob(config, federation.model.weights);
    if (attack) await attack(federation);
    const status = await done;
    const job = (await federation.store.getJob(jobId))!;
    const rounds = await federation.store.listRounds(jobId);
    const latest = await federation.store.latestModelVersion(jobId);
    const model = (await federation.store.getModelVersion(latest!.version))!;
    const values = model.weights.values;
    return { status, statusDetail: job.statusDetail, weights: Buffer.from(values.buffer, values.byteOffset, values.byteLength), values, metrics: rounds.map((r) => r.metrics), federation };
  } catch (thrown) {
    await federation.close();
    throw thrown;
  }
}

/** The same job without any attacker, once per config (its result is deterministic). */
const baselines = new Map<string, Promise<JobRun>>();
export function baseline(config: Record<string, unknown>): Promise<JobRun> {
  const key = JSON.stringify(config);
  if (!baselines.has(key)) {
    baselines.set(
      key,
      runJob(config).then(async ({ federation, ...run }) => {
        await federation.close();
        return run;
      }),
    );
  }
  return baselines.get(key)!;
}

/** Registers and connects a tampering store client for store 1 with the given registered population. */
export function addAttacker(federation: Federation, options: Partial<StoreClientOptions> & { population?: number }): Promise<StoreClient> {
  return federation.addClient(1, options);
}

/** Registers a client (population `population`) and returns credentials for a raw connection. */
export async function registerRaw(federation: Federation, id: string, population: number): Promise<{ clientId: string; token: string }> {
  const token = issueClientToken();
  await federation.store.registerClient({ id, storeId: federation.world.stores[1].id, tokenHash: hashToken(token), population });
  return { clientId: id, token };
}

/** A raw socket.io connection with the given handshake; resolves once connected, rejects with the refusal. */
export function rawConnect(url: string, handshake: Handshake | undefined, extra: Record<string, unknown> = {}): Promise<Socket> {
  const socket = io(url, { transports: ['websocket'], reconnection: false, ...(handshake ? { extraHeaders: handshakeRequestHeaders(handshake) } : {}), ...extra });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

/** The raw HTTP answer to a websocket upgrade of the engine.io endpoint with these headers. */
export async function upgradeAnswer(url: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const { request } = await import('node:http');
  return new Promise((resolve, reject) => {
    const req = request(`${url}/socket.io/?EIO=4&transport=websocket`, {
      headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', ...headers },
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode ?? 101, body: '' });
    });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

export { waitFor };
