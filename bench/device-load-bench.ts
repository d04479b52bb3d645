/**
 * Load (issue 15, point 4): 1,000 concurrent device clients (cross-device: one shopper each, each
 * its own socket.io connection, multiplexed in one client process) against one coordinator process
 * that also serves the REST API, on a SQLite file, DP on. Rows:
 * - peak RSS of the coordinator process at 50, 500 and 1,000 clients on the same tiny model, during
 *   a 3-round job (and above its idle RSS with the clients connected), beside clients × model size;
 * - round wall time at 1,000 clients;
 * - event-loop delay p99 of the coordinator during the rounds (perf_hooks.monitorEventLoopDelay);
 * - recommendations (top-10 with explanations, 4 concurrent keep-alive callers) p99 while idle and
 *   while a 10-round job runs, in the same run.
 * Run alone: `npx tsx bench/device-load-bench.ts`.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median, type BenchRow } from './bench-row.ts';

const counts = [50, 500, 1000];
const dpJob = (clients: number, rounds: number) => ({
  rounds,
  samplingRate: 1,
  minClients: clients,
  roundDeadlineMs: 120_000,
  roundRetries: 0,
  evaluateEvery: 100_000,
  privacy: { mode: 'dp', clipNorm: 0.5, noiseMultiplier: 1, delta: 1e-6 },
});

interface JobResult {
  status: string;
  rounds: { clients: number; invited: number; wallMs: number; persistMs: number }[];
  peakRss: number;
  eventLoopP99Ms: number;
  eventLoopMaxMs: number;
  parameters: number;
}

function ask<T>(child: ChildProcess, message: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null): void => reject(new Error(`load bench: a child exited with ${code}`));
    child.once('exit', onExit);
    child.once('message', (answer: T) => {
      child.off('exit', onExit);
      resolve(answer);
    });
    child.send(message as object);
  });
}

/** Closed-loop callers of POST /v1/recommendations until `until` resolves; each request's latency, ms. */
async function recommendLoad(apiUrl: string, key: string, bodies: string[], until: Promise<unknown>, callers = 4): Promise<number[]> {
  const latencies: number[] = [];
  let running = true;
  void until.finally(() => (running = false));
  let n = 0;
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (running) {
        const body = bodies[n++ % bodies.length];
        const started = performance.now();
        const response = await fetch(`${apiUrl}/v1/recommendations`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body });
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`load bench: recommendation answered ${response.status}`);
        latencies.push(performance.now() - started);
      }
    }),
  );
  return latencies;
}

const percentile = (values: number[], p: number): number => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))];
const mb = (bytes: number): number => bytes / (1024 * 1024);

/** @example const rows = await runDeviceLoadBench((line) => console.error(line)); */
export async function runDeviceLoadBench(log: (line: string) => void): Promise<BenchRow[]> {
  const directory = mkdtempSync(join(tmpdir(), 'fedrec-load-'));
  const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url));
  const coordinator = fork(here('./load-coordinator.ts'), [], { execArgv: ['--import', 'tsx'], env: { ...process.env, FEDREC_LOAD_DB: join(directory, 'fedrec.db'), FEDREC_LOG_LEVEL: 'warn' }, stdio: ['ignore', 2, 2, 'ipc'] });
  const devices = fork(here('./device-clients.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 2, 2, 'ipc'] });
  const rows: BenchRow[] = [];
  const row = (metric: string, value: number, unit: string, note?: string): void => void rows.push({ bench: 'device load', metric, value, unit, note });
  try {
    const info = await new Promise<{ url: string; apiUrl: string; key: string; histories: { items: string[]; store: string }[] }>((resolve) => coordinator.once('message', resolve));
    const bodies = info.histories.map((h) => JSON.stringify({ history: h.items.map((itemId) => ({ itemId })), context: { storeId: h.store }, personalization: true, k: 10 }));
    let connected = 0;
    let last: JobResult | undefined;
    for (const count of counts) {
      const { credentials } = await ask<{ credentials: unknown[] }>(coordinator, { register: count - connected });
      await ask(devices, { url: info.url, credentials });
      connected = count;
      log(`device load: ${count} device clients connected`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const { rss: idle } = await ask<{ rss: number }>(coordinator, { idle: true });
      const result = await ask<JobResult>(coordinator, { job: dpJob(count, 3) });
      if (result.status !== 'completed' || result.rounds.some((r) => r.clients !== count)) throw new Error(`load bench: the ${count}-client job ${result.status}, clients per round ${result.rounds.map((r) => r.clients).join(', ')}`);
      const modelMb = mb(result.parameters * 4);
      row(`coordinator peak RSS, ${count} clients`, mb(result.peakRss), 'MB', `${(mb(result.peakRss) - mb(idle)).toFixed(1)} MB above idle with them connected; clients × model size would be ${(count * modelMb).toFixed(1)} MB (${result.parameters.toLocaleString('en-US')} parameters)`);
      last = result;
    }
    const walls = last!.rounds.map((r) => r.wallMs);
    row('round wall time, 1,000 clients', median(walls) / 1000, 's', `median of ${walls.length} DP rounds (q = 1, one shopper each), every client answered; load average ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores`);
    row('event-loop delay p99 during rounds, 1,000 clients', last!.eventLoopP99Ms, 'ms', `max ${last!.eventLoopMaxMs.toFixed(0)} ms; persist per round (spend, round, version) median ${median(last!.rounds.map((r) => r.persistMs)).toFixed(1)} ms`);
    // Recommendations: idle for 4 s, then while a 10-round job of the 1,000 clients runs.
    const idle = await recommendLoad(info.apiUrl, info.key, bodies, new Promise((resolve) => setTimeout(resolve, 4000)));
    const job = ask<JobResult>(coordinator, { job: dpJob(counts.at(-1)!, 10) });
    const loaded = await recommendLoad(info.apiUrl, info.key, bodies, job);
    const trained = await job;
    row('recommendation p99, idle', percentile(idle, 99), 'ms', `${idle.length} requests, 4 callers, top-10 explained`);
    row('recommendation p99, while 1,000 clients train', percentile(loaded, 99), 'ms', `${loaded.length} requests over a ${trained.rounds.length}-round job (round median ${(median(trained.rounds.map((r) => r.wallMs)) / 1000).toFixed(2)} s); p50 ${percentile(loaded, 50).toFixed(1)} against idle ${percentile(idle, 50).toFixed(1)} ms`);
    return rows;
  } finally {
    for (const child of [devices, coordinator]) {
      if (child.connected) child.send({ stop: true });
      const timer = setTimeout(() => child.kill(), 5000);
      await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
      clearTimeout(timer);
    }
    rmSync(directory, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const r of await runDeviceLoadBench((line) => console.error(line))) console.log(`${r.metric.padEnd(52)} ${r.value.toFixed(3).padStart(9)} ${r.unit.padEnd(3)} ${r.note ?? ''}`);
}
