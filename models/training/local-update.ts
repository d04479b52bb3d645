/**
 * One shopper's local training, as a store client runs it: start from the global weights, take
 * SGD steps on that shopper's next-purchase examples only, and return the difference. Keeping
 * updates per shopper is what lets the client clip each shopper's contribution to C, so the
 * privacy unit is one shopper even when the client holds thousands.
 *
 * The steps use the hand-written sparse gradient (`sampled-softmax-gradient.ts`), not the tfjs
 * graph: a shopper touches a few hundred rows of the embedding tables, and the difference comes
 * back sparse (indices + values), so clipping and summing cost the rows touched, not the model.
 */
import type { Shopper } from '../data/retail-world.ts';
import { SeededRandom } from '../data/seeded-random.ts';
import { modelMeta } from '../recommender/initialize-weights.ts';
import type { ItemFeatures } from '../recommender/item-features.ts';
import { cloneWeights, type ModelWeights } from '../weights/model-weights.ts';
import { sampledSoftmaxGradient, SparseGradient } from './sampled-softmax-gradient.ts';
import { gatherBatch, trainingExamples } from './training-examples.ts';
import { sampleNegatives } from './sample-negatives.ts';

export interface LocalTrainingOptions {
  epochs: number;
  batchSize: number;
  learningRate: number;
  negatives: number;
}

/** trained − global for one shopper, at the flat weight indices it changed (all others are 0). */
export interface ShopperDelta {
  indices: Int32Array;
  values: Float32Array;
  /** The shopper's mean local loss, clipped to [0, shopperLossBound]. */
  loss: number;
  examples: number;
}

/**
 * The most one shopper's reported loss can add to a round's loss sum: each shopper's mean
 * sampled-softmax loss is clipped to [0, shopperLossBound] before it is summed, so the released
 * loss sum has sensitivity shopperLossBound per shopper (what its DP noise is scaled to; the
 * coordinator re-checks that a client's sum lies in [0, bound × shoppers]). 8 is about 1.6× the
 * loss of an untrained model over the 128 local negatives plus the target (ln 129 ≈ 4.86), so the
 * clip binds only for shoppers the model already ranks far worse than chance.
 */
export const shopperLossBound = 8;

export class LocalTrainer {
  /** A working copy of the global weights; every shopper's steps are undone after their delta is read. */
  private work: ModelWeights | undefined;
  private workOf: ModelWeights | undefined;
  private gradient: SparseGradient | undefined;
  private changed: SparseGradient | undefined;
  private readonly rng: SeededRandom;

  constructor(
    private readonly features: ItemFeatures,
    seed: number,
  ) {
    this.rng = new SeededRandom(seed);
  }

  /**
   * Trains a copy of `global` on one shopper's purchases and returns what changed.
   * @example const { indices, values } = trainer.shopperDelta(global, shopper, { epochs: 1, batchSize: 32, learningRate: 0.5, negatives: 128 });
   */
  shopperDelta(global: ModelWeights, shopper: Shopper, options: LocalTrainingOptions): ShopperDelta {
    const { shape } = modelMeta(global);
    // A new global model arrives as a new object each round; the working copy follows it.
    if (this.workOf !== global || this.work!.manifest.version !== global.manifest.version) {
      this.work = cloneWeights(global);
      this.workOf = global;
      this.gradient = new SparseGradient(global.values.length);
      this.changed = new SparseGradient(global.values.length);
    }
    const work = this.work!.values;
    const gradient = this.gradient!;
    const changed = this.changed!;
    const examples = trainingExamples([shopper], shape.historyLength);
    let lossSum = 0;
    let steps = 0;
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      for (let start = 0; start < examples.count; start += options.batchSize) {
        const indices = Int32Array.from({ length: Math.min(options.batchSize, examples.count - start) }, (_, i) => start + i);
        const negatives = sampleNegatives(this.rng, shape.items, options.negatives);
        lossSum += sampledSoftmaxGradient(shape, this.work!, this.features, gatherBatch(examples, indices), negatives, gradient);
        for (const i of gradient.touched()) {
          work[i] -= options.learningRate * gradient.values[i];
          changed.touch(i, 1);
        }
        gradient.clear();
        steps++;
      }
    }
    const indices = changed.touched().slice();
    const values = new Float32Array(indices.length);
    indices.forEach((i, k) => {
      values[k] = work[i] - global.values[i];
      work[i] = global.values[i];
    });
    changed.clear();
    const loss = steps > 0 ? Math.min(shopperLossBound, Math.max(0, lossSum / steps)) : 0;
    return { indices, values, loss, examples: examples.count };
  }

  /** Drops the working copy (a model-sized buffer) until the next shopper. */
  dispose(): void {
    this.work = this.workOf = this.gradient = this.changed = undefined;
  }
}
