/**
 * Serving benchmark: top-10 with exact explanations over a 10,000-item catalogue, against the same
 * requests scored and ranked only (`explain: false`). The API runs in a child process (one server
 * process, as in production) and autocannon drives it from this one over 127.0.0.1, a warm-up
 * before each timed run.
 *
 * Latency and requests/s are what autocannon sees, so on a shared 2-core machine they include
 * autocannon itself and whatever else runs (the load average is printed with them). The server's
 * CPU time per request (`process.cpuUsage`, asked for over IPC around each run) is far less
 * sensitive to that: it is what one process costs per request, and 1 s ÷ it is the throughput one
 * dedicated core would give. A last pair of rows times the transport-free core (`recommend`) in
 * CPU time, which isolates the explanation cost from HTTP and JSON.
 *
 * Run alone: `npx tsx bench/serving-bench.ts`. `FEDREC_SERVING_BENCH_SERVER_ARGS="--cpu-prof"`
 * passes node flags to the server process only.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median, type BenchRow } from './bench-row.ts';

const world = { seed: 1, stores: 20, shoppers: 2_000, items: 10_000 };
const connections = 4;
const warmupSeconds = 2;
/** Per kind, split into `rounds` alternating runs. */
const measureSeconds = 10;
const rounds = 5;

interface ServerReady {
  url: string;
  /** An app key: recommendations need one. */
  key: string;
  bodies: string[];
  core: { scoring: number; explained: number; ratio: number };
}

interface AutocannonResult {
  latency: { p50: number; p99: number };
  requests: { average: number; total: number };
  non2xx: number;
  errors: number;
}

type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;

interface Run extends AutocannonResult {
  /** Server CPU time (user + system, all threads) per request, µs. */
  cpuPerRequest: number;
}

/** The server process's CPU time so far, µs. */
function serverCpu(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    child.once('message', (message) => resolve((message as { cpu: number }).cpu));
    child.send('cpu');
  });
}

/** Forks the server, runs both request kinds through autocannon, and stops the server. */
export async function runServingBench(log: (line: string) => void = (line) => console.error(line)): Promise<BenchRow[]> {
  const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;
  // The server's own output goes to stderr: stdout is the results table.
  const serverArgs = (process.env.FEDREC_SERVING_BENCH_SERVER_ARGS ?? '').split(' ').filter(Boolean);
  const child = fork(fileURLToPath(import.meta.url), [], { execArgv: ['--import', 'tsx', ...serverArgs], env: { ...process.env, FEDREC_SERVING_BENCH_ROLE: 'server' }, stdio: ['ignore', 2, 2, 'ipc'] });
  try {
    const ready = await new Promise<ServerReady>((resolve, reject) => {
      child.once('message', (message) => resolve(message as ServerReady));
      child.once('exit', (code) => reject(new Error(`serving bench: the server process exited with ${code} before it was ready`)));
    });
    const load = async (explain: boolean, seconds: number): Promise<Run> => {
      // One request kind per run: the same 500 shoppers' bodies, with explain switched.
      let next = 0;
      const bodies = ready.bodies.map((body) => body.replace('"explain":true', `"explain":${explain}`));
      const cpuBefore = await serverCpu(child);
      const result = await autocannon({
        url: ready.url,
        connections,
        duration: seconds,
        requests: [{ method: 'POST', path: '/v1/recommendations', headers: { 'content-type': 'application/json', authorization: `Bearer ${ready.key}` }, setupRequest: (request: object) => ({ ...request, body: bodies[next++ % bodies.length] }) }],
      });
      if (result.non2xx || result.errors) throw new Error(`serving bench: ${result.non2xx} non-2xx responses and ${result.errors} errors`);
      return { ...result, cpuPerRequest: ((await serverCpu(child)) - cpuBefore) / result.requests.total };
    };
    // The two kinds alternate in short runs and each figure is the median over runs, so load from
    // other processes on a shared machine biases neither side of the ratio.
    log(`serving bench: ${warmupSeconds} s warm-up per kind, then ${rounds} alternating runs of ${measureSeconds / rounds} s at ${connections} connections`);
    await load(true, warmupSeconds);
    await load(false, warmupSeconds);
    const load1 = loadavg()[0];
    const runs: { explained: Run; scoring: Run }[] = [];
    for (let round = 0; round < rounds; round++) runs.push({ explained: await load(true, measureSeconds / rounds), scoring: await load(false, measureSeconds / rounds) });
    const load2 = loadavg()[0];
    const summary = (pick: (run: (typeof runs)[number]) => Run) => ({
      p50: median(runs.map((run) => pick(run).latency.p50)),
      p99: median(runs.map((run) => pick(run).latency.p99)),
      rps: median(runs.map((run) => pick(run).requests.average)),
      cpu: median(runs.map((run) => pick(run).cpuPerRequest)),
    });
    const explained = summary((run) => run.explained);
    const scoring = summary((run) => run.scoring);
    const ratio = median(runs.map((run) => run.scoring.requests.average / run.explained.requests.average));
    const cpuRatio = median(runs.map((run) => run.explained.cpuPerRequest / run.scoring.cpuPerRequest));
    const addedRatio = median(runs.map((run) => (run.explained.cpuPerRequest - run.scoring.cpuPerRequest) / run.scoring.cpuPerRequest));
    const setting = `${world.items} items, ${connections} connections, autocannon on the same machine (1 ms resolution); load average ${load1.toFixed(1)} → ${load2.toFixed(1)} on ${availableCores()} cores`;
    const rows = (what: string, r: ReturnType<typeof summary>, targets: { p99?: string; rps?: string }): BenchRow[] => [
      { bench: 'serving', metric: `p50 latency, ${what}`, value: r.p50, unit: 'ms', note: setting },
      { bench: 'serving', metric: `p99 latency, ${what}`, value: r.p99, unit: 'ms', note: targets.p99 },
      { bench: 'serving', metric: `throughput, ${what}`, value: r.rps, unit: 'req/s', note: targets.rps },
      { bench: 'serving', metric: `server CPU per request, ${what}`, value: r.cpu, unit: 'µs', note: `one dedicated core: ${Math.round(1e6 / r.cpu).toLocaleString('en-US')} req/s` },
    ];
    return [
      ...rows('top-10 with explanations', explained, { p99: 'target ≤ 5 ms', rps: 'target ≥ 2,000 req/s on one process' }),
      ...rows('top-10 scoring only', scoring, {}),
      { bench: 'serving', metric: 'explanation cost over HTTP (scoring req/s ÷ explained req/s)', value: ratio, unit: '×', note: 'target ≤ 1.5, median of per-run ratios' },
      { bench: 'serving', metric: 'explanation cost in server CPU (explained ÷ scoring, per request)', value: cpuRatio, unit: '×', note: 'target ≤ 1.5, median of per-run ratios' },
      // The target's other reading: what explaining adds, against what scoring alone costs.
      { bench: 'serving', metric: 'CPU explaining adds ((explained − scoring) ÷ scoring, per request)', value: addedRatio, unit: '×', note: 'the target read as the added cost, median of per-run ratios' },
      { bench: 'serving', metric: 'core recommend(), scoring + top-10 only', value: ready.core.scoring, unit: 'µs', note: 'median CPU time per request, no HTTP' },
      { bench: 'serving', metric: 'core recommend(), top-10 with explanations', value: ready.core.explained, unit: 'µs', note: 'median CPU time per request, no HTTP' },
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
    import('../models/data/seeded-random.ts'),
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
  const unexplained = requests.map((request) => ({ ...request, explain: false }));
  const core = timeCore(
    (n) => recommend(servedModel.require(), unexplained[n % requests.length]),
    (n) => recommend(servedModel.require(), requests[n % requests.length]),
  );
  // Every request carries an app key, looked up (SHA-256, then the store's index) as in production.
  const { createApiKey } = await import('../server/governance/index.ts');
  const { key } = await createApiKey(store, { role: 'app', name: 'serving bench' }, 'system');
  const api = await startApi({ store, servedModel, port: 0 });
  process.on('message', (message) => {
    if (message !== 'cpu') return;
    const { user, system } = process.cpuUsage();
    process.send!({ cpu: user + system });
  });
  process.send!({ url: api.url, key, bodies: requests.map((r) => JSON.stringify(r)), core } satisfies ServerReady);
  process.on('SIGTERM', () => void api.close().then(() => process.exit(0)));
}

/**
 * Median CPU time per call (µs) of each kind over 30 alternating batches of 100 calls, after five
 * warm-up batches of each, and the median of the per-batch ratios. CPU time (`process.cpuUsage`),
 * not wall time: a batch the scheduler paused on a busy machine is not charged for the pause.
 */
function timeCore(scoring: (n: number) => unknown, explained: (n: number) => unknown): ServerReady['core'] {
  const time = (call: (n: number) => unknown, from: number): number => {
    const started = process.cpuUsage();
    for (let i = 0; i < 100; i++) call(from + i);
    const { user, system } = process.cpuUsage(started);
    return (user + system) / 100;
  };
  const samples = { scoring: [] as number[], explained: [] as number[], ratio: [] as number[] };
  for (let batch = 0; batch < 35; batch++) {
    const a = time(scoring, batch * 100);
    const b = time(explained, batch * 100);
    if (batch < 5) continue;
    samples.scoring.push(a);
    samples.explained.push(b);
    samples.ratio.push(b / a);
  }
  return { scoring: median(samples.scoring), explained: median(samples.explained), ratio: median(samples.ratio) };
}

const availableCores = (): number => availableParallelism();

if (process.env.FEDREC_SERVING_BENCH_ROLE === 'server') await serve();
else if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const row of await runServingBench()) console.log(`${row.metric.padEnd(68)} ${row.value.toFixed(2).padStart(9)} ${row.unit.padEnd(6)} ${row.note ?? ''}`);
}
