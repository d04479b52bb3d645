/**
 * One tensor backend's training throughput, measured in a process of its own: the backend is
 * chosen once per process (FEDREC_BACKEND), so `training-bench.ts` runs this file once per backend.
 * Each step is what trainCentralized does: gather a batch, sample negatives, take an Adam step and
 * read the loss back.
 */
import * as tf from '@tensorflow/tfjs';
import { fileURLToPath } from 'node:url';
import { generateWorld, leaveLastOut, SeededRandom } from '../client-sim/world/index.ts';
import { defaultWorldOptions } from '../cli/world-options.ts';
import { defaultCentralizedOptions, gatherBatch, modelForWorld, RecommenderGraph, sampleNegatives, selectBackend, trainingExamples, type BackendName } from '../models/index.ts';

export interface ThroughputSample {
  backend: BackendName;
  /** Examples per second of each timed repeat (the warm-up repeat excluded). */
  examplesPerSecond: number[];
  stepsPerRepeat: number;
  batchSize: number;
}

/**
 * @example const sample = await measureTrainingThroughput(5, 3); // 3 timed repeats of 5 steps
 */
export async function measureTrainingThroughput(stepsPerRepeat: number, repeats: number): Promise<ThroughputSample> {
  const backend = await selectBackend(() => {});
  const world = generateWorld(defaultWorldOptions);
  const model = modelForWorld(world, 1);
  const examples = trainingExamples(leaveLastOut(world.shoppers).train, model.shape.historyLength);
  const { batchSize, negatives, learningRate } = defaultCentralizedOptions;
  const graph = new RecommenderGraph(model.shape, model.features);
  graph.setWeights(model.weights);
  const optimizer = tf.train.adam(learningRate);
  const rng = new SeededRandom(1);
  const examplesPerSecond: number[] = [];
  try {
    // Repeat 0 warms up: first-call kernel set-up and Adam's moment variables would skew it.
    for (let repeat = 0; repeat <= repeats; repeat++) {
      const started = performance.now();
      for (let step = 0; step < stepsPerRepeat; step++) {
        const batch = gatherBatch(examples, Int32Array.from({ length: batchSize }, () => rng.int(examples.count)));
        const loss = optimizer.minimize(() => graph.loss(batch, sampleNegatives(rng, model.shape.items, negatives)), true) as tf.Scalar;
        await loss.data();
        loss.dispose();
      }
      if (repeat > 0) examplesPerSecond.push((stepsPerRepeat * batchSize) / ((performance.now() - started) / 1000));
    }
  } finally {
    optimizer.dispose();
    graph.dispose();
  }
  return { backend, examplesPerSecond, stepsPerRepeat, batchSize };
}

/** What the child prints when its backend cannot start here (tfjs-node is an optional dependency). */
export interface UnavailableBackend {
  unavailable: string;
}

// As a child process: `node --import tsx bench/training-throughput.ts STEPS REPEATS` prints one JSON
// line, a ThroughputSample or an UnavailableBackend.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [steps, repeats] = process.argv.slice(2).map(Number);
  try {
    console.log(JSON.stringify(await measureTrainingThroughput(steps, repeats)));
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (!message.startsWith('no tensor backend could start')) throw err;
    console.log(JSON.stringify({ unavailable: message } satisfies UnavailableBackend));
  }
}
