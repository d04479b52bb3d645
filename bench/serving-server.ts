/**
 * The serving bench's server process, for either tree: `FEDREC_SERVING_ROOT` is the repository
 * root whose `server/`, `models/` and `client-sim/` it imports (this checkout, or the exported tree
 * of the commit before express, see serving-bench.ts), so both servers run the same world, model,
 * requests and store from the same script. It serves the API as `fedrec serve` does: on a SQLite
 * file, with the request log written (to the file the bench gives as stderr) at info. Reports
 * `{ url, key, bodies, core }` over IPC, then answers `cpu` with its CPU time so far.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = process.env.FEDREC_SERVING_ROOT!;
const dbFile = process.env.FEDREC_SERVING_DB!;
const world = { seed: 1, stores: 20, shoppers: 2_000, items: 10_000 };
const from = (path: string) => import(pathToFileURL(join(root, path)).href);
// Modules that moved since the baseline (the data model into models/data/) are read from where the tree has them.
const either = (path: string, older: string) => from(existsSync(join(root, path)) ? path : older);

const [{ generateWorld }, { SeededRandom }, { modelForWorld }, { parameterView }, api, { ServedModel, recommend }, { openStore }] = await Promise.all([
  from('client-sim/world/generate-world.ts'),
  either('models/data/seeded-random.ts', 'client-sim/world/seeded-random.ts'),
  from('models/recommender/model-for-world.ts'),
  from('models/weights/model-weights.ts'),
  from('server/api/index.ts'),
  from('server/serving/index.ts'),
  from('server/store/index.ts'),
]);
const generated = generateWorld(world);
const { weights } = modelForWorld(generated, world.seed);
const rng = new SeededRandom(7);
for (const [name, scale, shift] of [['itemBias', 0.5, 0], ['categoryAffinity', 0.5, 0], ['promotion', 0.1, 0.3], ['novelty', 0.1, 0.1], ['repeatWeight', 0.1, 0.3]] as const) {
  parameterView(weights, name).forEach((_: number, i: number, values: Float32Array) => (values[i] = shift + scale * rng.normal()));
}
const store = openStore(dbFile);
await store.putCatalog(generated.catalog);
const servedModel = new ServedModel({ catalog: generated.catalog });
servedModel.release(1, weights);
// Every shopper once, histories of 5 to 20 purchases, some with items to exclude, one in ten without
// consent: varied bodies, so the merchant-view counters merge no more than real traffic's would.
const requests = generated.shoppers.map((shopper: { items: number[]; store: number }, n: number) => ({
  history: shopper.items.slice(-(5 + (n % 16))).map((i) => ({ itemId: generated.catalog[i].id })),
  context: { storeId: generated.stores[shopper.store].id },
  personalization: n % 10 !== 0,
  k: 10,
  ...(n % 4 === 0 ? { exclude: [generated.catalog[(n * 7919) % world.items].id, generated.catalog[(n * 104_729) % world.items].id] } : {}),
  explain: true,
}));
const unexplained = requests.map((request: object) => ({ ...request, explain: false }));
const core = timeCore(
  (n) => recommend(servedModel.require(), unexplained[n % requests.length]),
  (n) => recommend(servedModel.require(), requests[n % requests.length]),
);
// The express tree takes these (rate limits as high as the bench needs, still counted per request);
// the node:http tree ignores options it does not know.
const running = await api.startApi({ store, servedModel, port: 0, rateLimits: { perAddress: 1e9, perCredential: 1e9 } });
// Where the tree has API keys, every request carries an app key, looked up (SHA-256, then the store's index) as in production.
const governance = existsSync(join(root, 'server/governance/index.ts')) ? await from('server/governance/index.ts') : undefined;
const key: string | undefined = governance && (await governance.createApiKey(store, { role: 'app', name: 'serving bench' }, 'system')).key;
process.on('message', (message) => {
  if (message !== 'cpu') return;
  const { user, system } = process.cpuUsage();
  process.send!({ cpu: user + system });
});
process.send!({ url: running.url, key, bodies: requests.map((r: object) => JSON.stringify(r)), core });
process.on('SIGTERM', () => void running.close().then(() => store.close()).then(() => process.exit(0)));

/**
 * Median CPU time per call (µs) of each kind over 30 alternating batches of 100 calls, after five
 * warm-up batches of each, and the median of the per-batch ratios. CPU time (`process.cpuUsage`),
 * not wall time: a batch the scheduler paused on a busy machine is not charged for the pause.
 */
function timeCore(scoring: (n: number) => unknown, explained: (n: number) => unknown): { scoring: number; explained: number; ratio: number } {
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
  const median = (v: number[]) => [...v].sort((x, y) => x - y)[v.length >> 1];
  return { scoring: median(samples.scoring), explained: median(samples.explained), ratio: median(samples.ratio) };
}
