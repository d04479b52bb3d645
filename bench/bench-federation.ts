/**
 * A real federation for the round benches: the coordinator of `server/host/start-coordinator.ts`
 * on 127.0.0.1 with socket.io, a SQLite store file in a temp directory (WAL, synchronous = FULL, as
 * `fedrec serve` runs it), the default CSPRNG noise, and clients in a child process
 * (`round-clients.ts`). It counts the bytes of every TCP connection the coordinator accepts, so
 * "bytes on the wire" is measured below websocket framing, not computed.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ModelWeights } from '../models/weights/model-weights.ts';
import { startCoordinator, type CoordinatorHost } from '../server/host/start-coordinator.ts';
import { hashToken, issueClientToken } from '../server/realtime/index.ts';
import type { RoundSummary } from '../server/rounds/index.ts';
import { openStore } from '../server/store/index.ts';
import type { ClientsSpec, ClientsStart } from './round-clients.ts';

/** One released round, with what the coordinator process spent since the previous mark. */
export interface MeasuredRound {
  summary: RoundSummary;
  /** Wall time since the previous round was released (or since the job was submitted), ms. */
  spanMs: number;
  /** CPU time (user + system) of the coordinator process over the same span, ms. */
  cpuMs: number;
}

export interface BenchFederation {
  host: CoordinatorHost;
  /** Bytes read from and written to all the coordinator's TCP connections so far. */
  wireBytes(): { read: number; written: number };
  /**
   * Starts a job on the connected clients and resolves when it completes, with its rounds and the
   * clients' process CPU time over the job; a job that ends any other way, or short of
   * `config.rounds`, fails the bench.
   */
  runJob(config: { rounds: number } & Record<string, unknown>, initial: ModelWeights): Promise<{ rounds: MeasuredRound[]; clientsCpuMs: number }>;
  close(): Promise<void>;
}

/**
 * @example const federation = await startBenchFederation({ kind: 'tiny', shoppersPerClient: 50 }, 20);
 */
export async function startBenchFederation(spec: ClientsSpec, clientCount: number, log: (line: string) => void): Promise<BenchFederation> {
  const directory = mkdtempSync(join(tmpdir(), 'fedrec-bench-'));
  const store = openStore(join(directory, 'fedrec.db'));
  let mark = { at: performance.now(), cpu: process.cpuUsage() };
  let measured: MeasuredRound[] = [];
  const onRound = (summary: RoundSummary): void => {
    const at = performance.now();
    const cpu = process.cpuUsage();
    measured.push({ summary, spanMs: at - mark.at, cpuMs: (cpu.user - mark.cpu.user + cpu.system - mark.cpu.system) / 1000 });
    mark = { at, cpu };
  };
  const host = await startCoordinator({ store, port: 0, onRound, log: () => {} });
  const sockets = new Set<Socket>();
  host.http.on('connection', (socket: Socket) => sockets.add(socket));

  const clients: ClientsStart['clients'] = [];
  // A store client's registered population bounds its counts: the world's whole population is
  // above any one store's, so it never refuses an honest bench client.
  const clientPopulation = spec.kind === 'tiny' ? spec.shoppersPerClient : spec.world.shoppers;
  for (let n = 0; n < clientCount; n++) {
    const token = issueClientToken();
    const clientId = `bench-client-${n}`;
    await store.registerClient({ id: clientId, storeId: `store-${n}`, tokenHash: hashToken(token), population: clientPopulation });
    clients.push({ clientId, token, store: n });
  }
  // `node --cpu-prof --cpu-prof-dir=DIR --import tsx bench/….ts` profiles the clients' process too.
  const profiling = process.execArgv.filter((flag) => flag.startsWith('--cpu-prof'));
  const child = fork(fileURLToPath(new URL('./round-clients.ts', import.meta.url)), [], { execArgv: [...profiling, '--import', 'tsx'], stdio: ['ignore', 2, 2, 'ipc'] });
  const close = async (): Promise<void> => {
    await stopChild(child);
    await host.close();
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  };
  try {
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`bench federation: the clients' process exited with ${code} before connecting`)));
      child.send({ url: host.url, spec, clients } satisfies ClientsStart);
    });
  } catch (err) {
    await close();
    throw err;
  }
  log(`bench federation: ${clientCount} ${spec.kind} clients connected to ${host.url}, store in ${directory}`);
  return {
    host,
    wireBytes: () => [...sockets].reduce((n, s) => ({ read: n.read + s.bytesRead, written: n.written + s.bytesWritten }), { read: 0, written: 0 }),
    async runJob(config, initial) {
      const clientsBefore = await childCpuMs(child);
      measured = [];
      mark = { at: performance.now(), cpu: process.cpuUsage() };
      const { done } = await host.coordinator.startJob(config, initial);
      const status = await done;
      if (status !== 'completed' || measured.length !== config.rounds) throw new Error(`bench job ${status} after ${measured.length} of ${config.rounds} rounds`);
      return { rounds: measured, clientsCpuMs: (await childCpuMs(child)) - clientsBefore };
    },
    close,
  };
}

function childCpuMs(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    child.once('message', (message: { cpuMs: number }) => resolve(message.cpuMs));
    child.send({ usage: true });
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  if (child.connected) child.send({ stop: true });
  const timer = setTimeout(() => child.kill(), 5_000);
  await exited;
  clearTimeout(timer);
}
