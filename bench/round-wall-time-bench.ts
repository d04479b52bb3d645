/**
 * Wall time of one DP round with 20 clients and an ~800,000-parameter model whose clients take one
 * tiny local step (`tiny-step-client.ts`), so the round measures the coordinator and the wire:
 * broadcast 20 × 3.2 MB, receive and validate 20 × 3.2 MB, sum, noise, account, persist the
 * version to SQLite. Target ≤ 0.5 s on a 2-core machine.
 *
 * Run alone: `npx tsx bench/round-wall-time-bench.ts`.
 */
import { availableParallelism, loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { initializeWeights } from '../models/recommender/initialize-weights.ts';
import { defaultShapeHyperparameters, parameterShapes, type ModelShape } from '../models/recommender/model-shape.ts';
import { coordinatorWorkMs, type RoundTiming } from '../server/rounds/index.ts';
import { median, type BenchRow } from './bench-row.ts';
import { startBenchFederation } from './bench-federation.ts';

const clients = 20;
const targetParameters = 800_000;
// Round 1 also warms up V8 and SQLite's page cache; rounds 2..10 are timed. The whole bench took
// ~12 s here (a round 0.5–1.3 s, depending on what else the shared machine ran).
const rounds = 10;

/**
 * @example const rows = await runRoundWallTimeBench((line) => console.error(line));
 */
export async function runRoundWallTimeBench(log: (line: string) => void): Promise<BenchRow[]> {
  const shape = shapeWithParameters(targetParameters);
  const vocabulary = {
    itemIds: Array.from({ length: shape.items }, (_, i) => `item-${i}`),
    categories: Array.from({ length: shape.categories }, (_, c) => `category-${c}`),
    storeIds: Array.from({ length: shape.stores }, (_, s) => `store-${s}`),
  };
  const weights = initializeWeights(shape, vocabulary, 1);
  const federation = await startBenchFederation({ kind: 'tiny', shoppersPerClient: 50 }, clients, log);
  // The coordinator's event loop during the rounds: how long a 3.2 MB version write (and the rest of a round) holds it.
  const delay = monitorEventLoopDelay({ resolution: 1 });
  try {
    delay.enable();
    const { rounds: measured, clientsCpuMs } = await federation.runJob(
      {
        rounds,
        // 20 clients × 50 shoppers, q = 0.02: one expected shopper per client, as each answers for one.
        expectedShoppersPerRound: clients,
        minClients: clients,
        roundDeadlineMs: 60_000,
        evaluateEvery: 1000,
        privacy: { mode: 'dp', clipNorm: 0.5, noiseMultiplier: 1.0, delta: 1e-6 },
      },
      weights,
    );
    delay.disable();
    const timed = measured.slice(1);
    const timings = timed.map((r) => r.summary.timing!);
    const med = (pick: (t: RoundTiming) => number): number => median(timings.map(pick));
    const setting = `${clients} clients, ${weights.manifest.size.toLocaleString('en-US')} parameters, DP, SQLite file, median of ${timed.length} rounds`;
    const row = (metric: string, value: number, unit: string, note?: string): BenchRow => ({ bench: 'round wall time', metric, value, unit, note });
    return [
      // Wall time depends on what else the machine runs: the load average says how shared it was.
      row('wall time of one round', med((t) => t.wallMs) / 1000, 's', `target ≤ 0.5 s; ${setting}; load average ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores`),
      row('coordinator process CPU per round', median(timed.map((r) => r.cpuMs)), 'ms', 'user + system, includes socket.io/ws decoding and encoding'),
      row("clients' process CPU per round", clientsCpuMs / rounds, 'ms', `mean; all ${clients} clients share one process and one core here`),
      row('release after the last answer', med((t) => t.wallMs - t.broadcastMs - t.collectMs), 'ms', 'the engine work left once every client answered'),
      row('engine work per round', med(coordinatorWorkMs), 'ms', 'broadcast + validate + aggregate + account + persist'),
      row('  broadcast (serialise once, emit to each client)', med((t) => t.broadcastMs), 'ms'),
      row('  validate 20 updates', med((t) => t.validateMs), 'ms'),
      row('  aggregate (sum, noise, divide, server step)', med((t) => t.aggregateMs), 'ms'),
      row('  account (RDP → ε)', med((t) => t.accountMs), 'ms'),
      row('  persist (spend, round, 3.2 MB version)', med((t) => t.persistMs), 'ms'),
      row('event-loop delay p99 during the rounds', delay.percentile(99) / 1e6, 'ms', `max ${(delay.max / 1e6).toFixed(0)} ms; perf_hooks.monitorEventLoopDelay, 1 ms resolution, coordinator's process (clients in their own)`),
    ];
  } finally {
    await federation.close();
  }
}

/**
 * The recommender's default shape with as many items as bring it nearest `parameters`, whatever
 * the per-item width of the model is today (the parameter count is linear in the item count).
 */
function shapeWithParameters(parameters: number): ModelShape {
  const base = { stores: 20, categories: 12, ...defaultShapeHyperparameters };
  const size = (items: number): number => parameterShapes({ ...base, items }).reduce((n, p) => n + p.shape.reduce((a, b) => a * b, 1), 0);
  const perItem = size(2) - size(1);
  return { ...base, items: Math.round((parameters - (size(1) - perItem)) / perItem) };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const row of await runRoundWallTimeBench((line) => console.error(line))) console.log(`${row.metric.padEnd(52)} ${row.value.toFixed(3).padStart(9)} ${row.unit.padEnd(3)} ${row.note ?? ''}`);
}
