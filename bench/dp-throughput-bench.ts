/**
 * DP training throughput against non-private throughput on the same model: a store client's whole
 * answer to a round (`computeRoundUpdate`: Poisson-sample shoppers, train each one's update, clip
 * it to C with DP or weight it by its examples without, sum), timed in this process for one store
 * of the demo world. Each pair of runs uses the same seeded sampler, so the DP and the non-DP run
 * train the very same shoppers and the ratio is one of times; the pairs alternate so load from
 * other processes on a shared machine biases neither side. Target: DP ≥ 0.5 × non-private.
 *
 * Both paths train per shopper here: without DP the client still computes each shopper's update
 * (FedAvg weights it by examples), so the ratio is what clipping and the privacy unit cost on top
 * of the same local training, not DP against batched training of all the store's shoppers at once.
 *
 * Run alone: `npx tsx bench/dp-throughput-bench.ts`.
 */
import { pathToFileURL } from 'node:url';
import { computeRoundUpdate, type StoreData } from '../client-sim/store-client/compute-round-update.ts';
import { generateWorld, leaveLastOut } from '../client-sim/world/index.ts';
import { defaultWorldOptions } from '../cli/world-options.ts';
import { modelForWorld } from '../models/recommender/model-for-world.ts';
import { LocalTrainer } from '../models/training/local-update.ts';
import { SeededRandomSource } from '../server/privacy/index.ts';
import type { RoundRequest } from '../protocol/index.ts';
import { jobConfigSchema } from '../server/rounds/index.ts';
import { median, type BenchRow } from './bench-row.ts';

// q = 0.25 of store 0's 655 shoppers: ~160 shoppers per run, ~0.15 s each on this machine; one
// warm-up pair and 9 timed pairs keep the bench under 10 s with the world generation.
const samplingRate = 0.25;
const pairs = 9;
const clipNorm = 0.5;

interface Run {
  seconds: number;
  shoppers: number;
  examples: number;
}

/**
 * @example const rows = runDpThroughputBench((line) => console.error(line));
 */
export function runDpThroughputBench(log: (line: string) => void): BenchRow[] {
  const world = generateWorld(defaultWorldOptions);
  const split = leaveLastOut(world.shoppers);
  const model = modelForWorld(world, defaultWorldOptions.seed);
  const data: StoreData = { train: split.train.filter((s) => s.store === 0), test: [], features: model.features };
  // The job defaults a round request carries (local epochs, batch size, client learning rate).
  const defaults = jobConfigSchema.parse({ rounds: 1, samplingRate });
  const request = (dp: boolean): RoundRequest => ({
    jobId: 'bench',
    round: 1,
    modelVersion: 0,
    nonce: 'bench',
    samplingRate,
    clipNorm: dp ? clipNorm : undefined,
    localEpochs: defaults.localEpochs,
    batchSize: defaults.batchSize,
    clientLearningRate: defaults.clientLearningRate,
    evaluate: false,
    deadline: Number.MAX_SAFE_INTEGER,
  });
  const trainer = new LocalTrainer(model.features, 1);
  const run = (dp: boolean, seed: number): Run => {
    const started = performance.now();
    const update = computeRoundUpdate(request(dp), model.weights, data, trainer, new SeededRandomSource(seed));
    return { seconds: (performance.now() - started) / 1000, shoppers: update.shoppers, examples: update.examples };
  };
  log(`dp throughput bench: store 0 of the demo world (${data.train.length} shoppers), q = ${samplingRate}, 1 warm-up + ${pairs} alternating pairs`);
  const results: { dp: Run; plain: Run }[] = [];
  for (let pair = 0; pair <= pairs; pair++) {
    // Alternate which side goes first, so neither always runs on a warmer cache.
    const plainFirst = pair % 2 === 0;
    const first = run(!plainFirst, pair);
    const second = run(plainFirst, pair);
    if (pair > 0) results.push(plainFirst ? { plain: first, dp: second } : { dp: first, plain: second });
  }
  if (results.some((r) => r.dp.examples !== r.plain.examples)) throw new Error('dp throughput bench: a DP and a non-DP run of one pair trained different shoppers');
  const perSecond = (r: Run): number => r.examples / r.seconds;
  const row = (metric: string, value: number, unit: string, note?: string): BenchRow => ({ bench: 'dp throughput', metric, value, unit, note });
  return [
    row('client training throughput, DP (per-shopper clip to C)', median(results.map((r) => perSecond(r.dp))), 'examples/s', `${median(results.map((r) => r.dp.shoppers))} shoppers per run, median of ${pairs}`),
    row('client training throughput, no DP (example-weighted FedAvg)', median(results.map((r) => perSecond(r.plain))), 'examples/s', 'the same shoppers, run alternately'),
    row('DP throughput / non-private throughput', median(results.map((r) => perSecond(r.dp) / perSecond(r.plain))), '×', 'target ≥ 0.5; median of per-pair ratios'),
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const row of runDpThroughputBench((line) => console.error(line))) console.log(`${row.metric.padEnd(60)} ${row.value.toFixed(3).padStart(10)} ${row.unit.padEnd(10)} ${row.note ?? ''}`);
}
