/**
 * The "large world" rows of `npm run bench -- --large`: 50,000 shoppers, 5,000 items, 20 stores,
 * trained centrally, with the wall time of each stage and the model's recall@10 against the
 * baselines. Opt-in because it takes many minutes on a 2-core machine.
 */
import { generateWorld, leaveLastOut } from '../client-sim/world/index.ts';
import { ProgressBar } from '../cli/progress-bar.ts';
import {
  ConceptScorer,
  cooccurrence,
  defaultCentralizedOptions,
  evaluateRanker,
  globalPopularity,
  modelForWorld,
  modelRanker,
  selectBackend,
  storePopularity,
  trainCentralized,
  type Ranker,
} from '../models/index.ts';
import type { BenchRow } from './bench-row.ts';

export const largeWorld = { seed: 1, stores: 20, shoppers: 50_000, items: 5_000 };

// Two epochs: one epoch of this world (1,269 steps of 512) measured 287 s on the wasm backend of a
// 2-core machine, so two fit the ~10 minute budget and the default 4 would not. BENCH_LARGE_EPOCHS
// overrides it.
const epochs = Number(process.env.BENCH_LARGE_EPOCHS ?? 2);

/**
 * @example const rows = await runLargeWorldBench((line) => console.error(line));
 */
export async function runLargeWorldBench(log: (line: string) => void): Promise<BenchRow[]> {
  if (!Number.isInteger(epochs) || epochs < 1) throw new Error(`BENCH_LARGE_EPOCHS must be a positive whole number, got ${process.env.BENCH_LARGE_EPOCHS}`);
  const backend = await selectBackend(log);
  const world = `${largeWorld.shoppers} shoppers × ${largeWorld.items} items × ${largeWorld.stores} stores`;

  let started = performance.now();
  const generated = generateWorld(largeWorld);
  const generationSeconds = seconds(started);
  const split = leaveLastOut(generated.shoppers);
  const trainPurchases = split.train.reduce((n, s) => n + s.items.length, 0);
  log(`large world: ${world}, ${trainPurchases} training purchases, generated in ${generationSeconds.toFixed(1)} s`);

  const model = modelForWorld(generated, largeWorld.seed);
  const bar = new ProgressBar(epochs, process.stderr);
  started = performance.now();
  await trainCentralized(model.weights, model.features, split.train, { ...defaultCentralizedOptions, epochs, seed: largeWorld.seed, onProgress: (p) => bar.update(p) });
  bar.finish();
  const trainingSeconds = seconds(started);

  const recall = (ranker: Ranker): { recall: number; seconds: number } => {
    const begun = performance.now();
    const metrics = evaluateRanker(ranker, split.test);
    return { recall: metrics['recall@10'], seconds: seconds(begun) };
  };
  const modelResult = recall(modelRanker(new ConceptScorer(model.shape, model.weights, model.features)));
  const baselines = {
    'popularity (global)': recall(globalPopularity(split.train, largeWorld.items)),
    'popularity (per store)': recall(storePopularity(split.train, largeWorld.items, largeWorld.stores)),
    'item co-occurrence': recall(cooccurrence(split.train, largeWorld.items)),
  };
  const bestPopularity = Math.max(baselines['popularity (global)'].recall, baselines['popularity (per store)'].recall);

  const row = (metric: string, value: number, unit: string, note?: string): BenchRow => ({ bench: 'large world', metric, value, unit, note });
  return [
    row('world generation wall time', generationSeconds, 's', world),
    row('centralised training wall time', trainingSeconds, 's', `${epochs} epoch${epochs > 1 ? 's' : ''} over ${trainPurchases} purchases, ${backend} backend, batch ${defaultCentralizedOptions.batchSize}`),
    row('model evaluation wall time', modelResult.seconds, 's', `${split.test.length} held-out shoppers × ${largeWorld.items} items`),
    row('recall@10, fedrec model', modelResult.recall, '', `${epochs} epoch${epochs > 1 ? 's' : ''}`),
    ...Object.entries(baselines).map(([name, result]) => row(`recall@10, ${name}`, result.recall, '')),
    row('model recall@10 / best popularity', modelResult.recall / bestPopularity, '×', 'target ≥ 2'),
    row('model recall@10 / co-occurrence', modelResult.recall / baselines['item co-occurrence'].recall, '×', 'target ≥ 1'),
  ];
}

const seconds = (since: number): number => (performance.now() - since) / 1000;
