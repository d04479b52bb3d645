/**
 * One shopper's local training, as a store client runs it: start from the global weights, take
 * SGD steps on that shopper's next-purchase examples only, and return the difference. Keeping
 * updates per shopper is what lets the client clip each shopper's contribution to C, so the
 * privacy unit is one shopper even when the client holds thousands.
 */
import * as tf from '@tensorflow/tfjs';
import type { Shopper } from '../../client-sim/world/retail-world.ts';
import { SeededRandom } from '../../client-sim/world/seeded-random.ts';
import { modelMeta } from '../recommender/initialize-weights.ts';
import type { ItemFeatures } from '../recommender/item-features.ts';
import { RecommenderGraph } from '../recommender/recommender-graph.ts';
import { cloneWeights, type ModelWeights } from '../weights/model-weights.ts';
import { gatherBatch, trainingExamples } from './training-examples.ts';
import { sampleNegatives } from './sample-negatives.ts';

export interface LocalTrainingOptions {
  epochs: number;
  batchSize: number;
  learningRate: number;
  negatives: number;
}

export class LocalTrainer {
  private graph: RecommenderGraph | undefined;
  private scratch: ModelWeights | undefined;
  private readonly rng: SeededRandom;

  constructor(
    private readonly features: ItemFeatures,
    seed: number,
  ) {
    this.rng = new SeededRandom(seed);
  }

  /**
   * Writes (trained − global) for one shopper into `out`; returns the shopper's mean loss and examples.
   * @example const { loss } = trainer.shopperDelta(global, shopper, options, delta);
   */
  shopperDelta(global: ModelWeights, shopper: Shopper, options: LocalTrainingOptions, out: Float32Array): { loss: number; examples: number } {
    const { shape } = modelMeta(global);
    if (!this.graph || this.graph.shape.items !== shape.items) {
      this.graph?.dispose();
      this.graph = new RecommenderGraph(shape, this.features);
      this.scratch = cloneWeights(global);
    }
    const graph = this.graph;
    graph.setWeights(global);
    const examples = trainingExamples([shopper], shape.historyLength);
    const optimizer = tf.train.sgd(options.learningRate);
    let lossSum = 0;
    let steps = 0;
    try {
      for (let epoch = 0; epoch < options.epochs; epoch++) {
        for (let start = 0; start < examples.count; start += options.batchSize) {
          const indices = Int32Array.from({ length: Math.min(options.batchSize, examples.count - start) }, (_, i) => start + i);
          const negatives = sampleNegatives(this.rng, shape.items, options.negatives);
          const loss = optimizer.minimize(() => graph.loss(gatherBatch(examples, indices), negatives), true) as tf.Scalar;
          lossSum += loss.dataSync()[0];
          loss.dispose();
          steps++;
        }
      }
    } finally {
      optimizer.dispose();
    }
    const trained = graph.readWeights(this.scratch!).values;
    for (let i = 0; i < out.length; i++) out[i] = trained[i] - global.values[i];
    return { loss: steps > 0 ? lossSum / steps : 0, examples: examples.count };
  }

  dispose(): void {
    this.graph?.dispose();
    this.graph = undefined;
  }
}
