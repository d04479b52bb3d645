/**
 * `npm run bench`: medians of repeated measurements, printed as one table. Each benchmark module
 * returns BenchRows; add new ones to `benches`.
 */
import * as tf from '@tensorflow/tfjs';
import { generateWorld } from '../client-sim/world/generate-world.ts';
import { leaveLastOut } from '../client-sim/world/leave-last-out.ts';
import { selectBackend } from '../models/backend/select-backend.ts';
import { modelForWorld } from '../models/recommender/model-for-world.ts';
import { RecommenderGraph } from '../models/recommender/recommender-graph.ts';
import { gatherBatch, trainingExamples } from '../models/training/training-examples.ts';
import { SeededRandom } from '../client-sim/world/seeded-random.ts';
import { sampleNegatives } from '../models/training/sample-negatives.ts';
import { CryptoRandomSource } from '../server/privacy/index.ts';
import { median, type BenchRow } from './bench-row.ts';

async function trainingThroughput(): Promise<BenchRow[]> {
  const backend = await selectBackend(() => {});
  const world = generateWorld({ seed: 1, stores: 8, shoppers: 4000, items: 800 });
  const model = modelForWorld(world, 1);
  const graph = new RecommenderGraph(model.shape, model.features);
  graph.setWeights(model.weights);
  const examples = trainingExamples(leaveLastOut(world.shoppers).train, model.shape.historyLength);
  const optimizer = tf.train.adam(0.01);
  const rng = new SeededRandom(1);
  const rates: number[] = [];
  for (let repeat = 0; repeat < 5; repeat++) {
    const started = performance.now();
    for (let step = 0; step < 10; step++) {
      const indices = Int32Array.from({ length: 512 }, () => rng.int(examples.count));
      const loss = optimizer.minimize(() => graph.loss(gatherBatch(examples, indices), sampleNegatives(rng, model.shape.items, 512)), true);
      loss?.dispose();
    }
    rates.push((10 * 512) / ((performance.now() - started) / 1000));
  }
  graph.dispose();
  optimizer.dispose();
  return [{ bench: 'training', metric: `centralised training throughput (${backend})`, value: median(rates.slice(1)), unit: 'examples/s', note: 'demo world, batch 512, 512 negatives' }];
}

function coordinatorAggregation(): BenchRow[] {
  const parameters = 800_000;
  const clients = Array.from({ length: 20 }, (_, c) => Float32Array.from({ length: parameters }, (_, i) => Math.sin(c + i)));
  const random = new CryptoRandomSource();
  const times: number[] = [];
  for (let repeat = 0; repeat < 7; repeat++) {
    const started = performance.now();
    const sum = new Float32Array(parameters);
    for (const update of clients) for (let i = 0; i < parameters; i++) sum[i] += update[i];
    random.addGaussian(sum, 0.5);
    for (let i = 0; i < parameters; i++) sum[i] /= 400;
    times.push(performance.now() - started);
  }
  return [{ bench: 'rounds', metric: 'sum 20 updates + Gaussian noise + divide, 800k parameters', value: median(times), unit: 'ms', note: 'coordinator arithmetic only (no wire, no persist)' }];
}

const benches: (() => Promise<BenchRow[]> | BenchRow[])[] = [trainingThroughput, coordinatorAggregation];

const rows: BenchRow[] = [];
for (const bench of benches) rows.push(...(await bench()));
console.log(['bench'.padEnd(10), 'metric'.padEnd(62), 'median'.padStart(12), 'unit'.padEnd(12), 'note'].join(' '));
for (const r of rows) console.log([r.bench.padEnd(10), r.metric.padEnd(62), r.value.toFixed(1).padStart(12), r.unit.padEnd(12), r.note ?? ''].join(' '));
