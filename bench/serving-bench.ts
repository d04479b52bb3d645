/**
 * Serving benchmark: top-10 with exact explanations over a 10,000-item catalogue, against the same
 * requests scored and ranked only (`explain: false`). The API runs in a child process (one server
 * process, as in production) and autocannon drives it from this one over 127.0.0.1, a warm-up
 * before each timed run. A second pair of rows times the transport-free core (`recommend`) in the
 * server process, which isolates the explanation cost from HTTP and JSON.
 *
 * Run alone: `npx tsx bench/serving-bench.ts`.
 */
import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median, type BenchRow } from './bench-row.ts';

const world = { seed: 1, stores: 20, shoppers: 2_000, items: 10_000 };
const connections = 4;
const warmupSeconds = 2;
/** Per kind, split into `rounds` alternating runs. */
const measureSeconds = 6;
const rounds = 3;

interface ServerReady {
  url: string;
  bodies: string[];
  core: { scoring: number; explained: number; ratio: number };
}

interface AutocannonResult {
  latency: { p50: number; p99: number };
  requests: { average: number };
  non2xx: number;
  errors: number;
}
type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;

/** Forks the server, runs both request kinds through autocannon, and stops the server. */
export async function runServingBench(log: (line: string) => void = (line) => console.error(line)): Promise<BenchRow[]> {
  const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;
  // The server's own output goes to stderr: stdout is the results table.
  // FEDREC_SERVING_BENCH_SERVER_ARGS passes node flags to the server process only (e.g. --cpu-prof).
  const serverArgs = (process.env.FEDREC_SERVING_BENCH_SERVER_ARGS ?? '').split(' ').filter(Boolean);
  const child = fork(fileURLToPath(import.meta.url), [], { execArgv: ['--import', 'tsx', ...serverArgs], env: { ...process.env, FEDREC_SERVING_BENCH_ROLE: 'server' }, stdio: ['ignore', 2, 2, 'ipc'] });
  try {
    const ready = await new Promise<ServerReady>((resolve, reject) => {
      child.once('message', (message) => resolve(message as ServerReady));
      child.once('exit', (code) => reject(new Error(`serving bench: the server process exited with ${code} before it was ready`)));
    });
    const load = async (explain: boolean, seconds: number): Promise<AutocannonResult> => {
      // One request kind per run: the same 500 shoppers' bodies, with explain switched.
      let next = 0;
      const bodies = ready.bodies.map((body) => body.replace('"explain":true', `"explain":${explain}`));
      const result = await autocannon({
        url: ready.url,
        connections,
        duration: seconds,
        requests: [{ method: 'POST', path: '/v1/recommendations', headers: { 'content-type': 'application/json' }, setupRequest: (request: object) => ({ ...request, body: bodies[next++ % bodies.length] }) }],
      });
      if (result.non2xx || result.errors) throw new Error(`serving bench: ${result.non2xx} non-2xx responses and ${result.errors} errors`);
      return result;
    };
    // The two kinds alternate in short runs and each figure is the median over runs, so load from
    // other processes on a shared machine biases neither side of the ratio.
    log(`serving bench: ${warmupSeconds} s warm-up per kind, then ${rounds} alternating runs of ${measureSeconds / rounds} s at ${connections} connections`);
    await load(true, warmupSeconds);
    await load(false, warmupSeconds);
    const runs: { explained: AutocannonResult; scoring: AutocannonResult }[] = [];
    for (let round = 0; round < rounds; round++) runs.push({ explained: await load(true, measureSeconds / rounds), scoring: await load(false, measureSeconds / rounds) });
    const summary = (pick: (run: (typeof runs)[number]) => AutocannonResult) => ({
      p50: median(runs.map((run) => pick(run).latency.p50)),
      p99: median(runs.map((run) => pick(run).latency.p99)),
      rps: median(runs.map((run) => pick(run).requests.average)),
    });
    const explained = summary((run) => run.explained);
    const scoring = summary((run) => run.scoring);
    const ratio = median(runs.map((run) => run.scoring.requests.average / run.explained.requests.average));
    const setting = `${world.items} items, ${connections} connections, autocannon (1 ms latency resolution)`;
    const rows = (what: string, r: { p50: number; p99: number; rps: number }, targets: { p99?: string; rps?: string }): BenchRow[] => [
      { bench: 'serving', metric: `p50 latency, ${what}`, value: r.p50, unit: 'ms', note: setting },
      { bench: 'serving', metric: `p99 latency, ${what}`, value: r.p99, unit: 'ms', note: targets.p99 },
      { bench: 'serving', metric: `throughput, ${what}`, value: r.rps, unit: 'req/s', note: targets.rps },
    ];
    return [
      ...rows('top-10 with explanations', explained, { p99: 'target ≤ 5 ms', rps: 'target ≥ 2,000 req/s on one process' }),
      ...rows('top-10 scoring only', scoring, {}),
      { bench: 'serving', metric: 'explanation cost over HTTP (scoring req/s ÷ explained req/s)', value: ratio, unit: '×', note: 'target ≤ 1.5, median of per-run ratios' },
      { bench: 'serving', metric: 'core recommend(), scoring + top-10 only', value: ready.core.scoring, unit: 'ms', note: 'median per request, no HTTP' },
      { bench: 'serving', metric: 'core recommend(), top-10 with explanations', value: ready.core.explained, unit: 'ms', note: 'median per request, no HTTP' },
      { bench: 'serving', metric: 'explanation cost in the core (explained ÷ scoring)', value: ready.core.ratio, unit: '×', note: 'target ≤ 1.5, median of per-batch ratios' },
    ];
  } finally {
    child.kill();
  }
}

/** The server process: a 10,000-item world model with random weights, every concept active. */
async function serve(): Promise<void> {
  const [{ generateWorld }, { SeededRandom }, { modelForWorld }, { parameterView }, { startApi }, { ServedModel, recommend }, { openStore }] = await Promise.all([
    import('../client-sim/world/generate-world.ts'),
    import('../client-sim/world/seeded-random.ts'),
    import('../models/recommender/model-for-world.ts'),
    import('../models/weights/model-weights.ts'),
    import('../server/api/index.ts'),
    import('../server/serving/index.ts'),
    import('../server/store/index.ts'),
  ]);
  const generated = generateWorld(world);
  const { weights } = modelForWorld(generated, world.seed);
  const rng = new SeededRandom(7);
  for (const [name, scale, shift] of [['itemBias', 0.5, 0], ['categoryAffinity', 0.5, 0], ['promotion', 0.1, 0.3], ['novelty', 0.1, 0.1], ['repeatWeight', 0.1, 0.3]] as const) {
    parameterView(weights, name).forEach((_, i, values) => (values[i] = shift + scale * rng.normal()));
  }
  // SQLite, as served by default: the merchant-view counters it writes are part of serving's cost.
  const store = openStore(':memory:');
  await store.putCatalog(generated.catalog);
  const servedModel = new ServedModel({ catalog: generated.catalog });
  servedModel.release(1, weights);
  const requests = generated.shoppers.slice(0, 500).map((shopper, n) => ({
    history: shopper.items.slice(-20).map((i) => ({ itemId: generated.catalog[i].id })),
    context: { storeId: generated.stores[shopper.store].id },
    personalization: n % 10 !== 0,
    k: 10,
    explain: true,
  }));
  const core = timeCore(
    (n) => recommend(servedModel.require(), { ...requests[n % requests.length], explain: false }),
    (n) => recommend(servedModel.require(), requests[n % requests.length]),
  );
  const api = await startApi({ store, servedModel, port: 0 });
  process.send!({ url: api.url, bodies: requests.map((r) => JSON.stringify(r)), core } satisfies ServerReady);
  process.on('SIGTERM', () => void api.close().then(() => process.exit(0)));
}

/**
 * Median per-call time (ms) of each kind over 15 alternating batches of 100 calls, after a warm-up
 * batch of each, and the median of the per-batch ratios.
 */
function timeCore(scoring: (n: number) => unknown, explained: (n: number) => unknown): ServerReady['core'] {
  const time = (call: (n: number) => unknown, from: number): number => {
    const started = performance.now();
    for (let i = 0; i < 100; i++) call(from + i);
    return (performance.now() - started) / 100;
  };
  const samples = { scoring: [] as number[], explained: [] as number[], ratio: [] as number[] };
  for (let batch = 0; batch < 16; batch++) {
    const a = time(scoring, batch * 100);
    const b = time(explained, batch * 100);
    if (batch === 0) continue;
    samples.scoring.push(a);
    samples.explained.push(b);
    samples.ratio.push(b / a);
  }
  return { scoring: median(samples.scoring), explained: median(samples.explained), ratio: median(samples.ratio) };
}

if (process.env.FEDREC_SERVING_BENCH_ROLE === 'server') await serve();
else if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const row of await runServingBench()) console.log(`${row.metric.padEnd(64)} ${row.value.toFixed(2).padStart(9)} ${row.unit.padEnd(6)} ${row.note ?? ''}`);
}
