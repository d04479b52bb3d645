/**
 * Centralised training on pooled purchases: the non-private reference federated training is
 * compared against. Adam on the sampled-softmax loss, shuffled mini-batches, seeded.
 */
import * as tf from '@tensorflow/tfjs';
import type { Shopper } from '../data/retail-world.ts';
import { SeededRandom } from '../data/seeded-random.ts';
import type { ItemFeatures } from '../recommender/item-features.ts';
import { RecommenderGraph } from '../recommender/recommender-graph.ts';
import type { ModelWeights } from '../weights/model-weights.ts';
import { modelMeta } from '../recommender/initialize-weights.ts';
import { gatherBatch, trainingExamples } from './training-examples.ts';
import { sampleNegatives } from './sample-negatives.ts';

export interface CentralizedOptions {
  epochs: number;
  batchSize: number;
  learningRate: number;
  negatives: number;
  seed: number;
  onProgress?: (progress: { epoch: number; step: number; steps: number; loss: number }) => void;
}

export const defaultCentralizedOptions: Omit<CentralizedOptions, 'seed'> = { epochs: 4, batchSize: 512, learningRate: 0.01, negatives: 512 };

/**
 * Trains `weights` in place on the shoppers' purchases and returns the mean loss of each epoch.
 * @example await trainCentralized(weights, features, split.train, { ...defaultCentralizedOptions, seed: 1 });
 */
export async function trainCentralized(weights: ModelWeights, features: ItemFeatures, train: readonly Shopper[], options: CentralizedOptions): Promise<number[]> {
  const { shape } = modelMeta(weights);
  const graph = new RecommenderGraph(shape, features);
  graph.setWeights(weights);
  const examples = trainingExamples(train, shape.historyLength);
  const rng = new SeededRandom(options.seed);
  const order = Int32Array.from({ length: examples.count }, (_, i) => i);
  const optimizer = tf.train.adam(options.learningRate);
  const steps = Math.ceil(examples.count / options.batchSize);
  const epochLosses: number[] = [];
  try {
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      rng.shuffle(order as unknown as number[]);
      let lossSum = 0;
      for (let step = 0; step < steps; step++) {
        const batch = gatherBatch(examples, order.subarray(step * options.batchSize, (step + 1) * options.batchSize));
        const negatives = sampleNegatives(rng, shape.items, options.negatives);
        const loss = optimizer.minimize(() => graph.loss(batch, negatives), true) as tf.Scalar;
        const value = (await loss.data())[0];
        loss.dispose();
        lossSum += value;
        options.onProgress?.({ epoch, step, steps, loss: value });
      }
      epochLosses.push(lossSum / steps);
    }
    graph.readWeights(weights);
  } finally {
    optimizer.dispose();
    graph.dispose();
  }
  return epochLosses;
}
