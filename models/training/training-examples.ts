/**
 * Next-purchase examples from time-ordered histories: purchase t is the target, the up to L
 * purchases before it are the history (right-aligned, left-padded), the shopper's store the context.
 * Built once into flat typed arrays so batches are copies, not allocations.
 */
import type { Shopper } from '../data/retail-world.ts';
import type { TrainingBatch } from '../recommender/recommender-graph.ts';

export interface TrainingExamples {
  count: number;
  historyLength: number;
  history: Int32Array;
  mask: Float32Array;
  store: Int32Array;
  target: Int32Array;
}

/**
 * @example const examples = trainingExamples(split.train, 20);
 */
export function trainingExamples(shoppers: readonly Shopper[], historyLength: number): TrainingExamples {
  const count = shoppers.reduce((n, s) => n + s.items.length, 0);
  const L = historyLength;
  const examples: TrainingExamples = {
    count,
    historyLength: L,
    history: new Int32Array(count * L),
    mask: new Float32Array(count * L),
    store: new Int32Array(count),
    target: new Int32Array(count),
  };
  let e = 0;
  for (const shopper of shoppers) {
    for (let t = 0; t < shopper.items.length; t++, e++) {
      examples.store[e] = shopper.store;
      examples.target[e] = shopper.items[t];
      const start = Math.max(0, t - L);
      for (let j = start; j < t; j++) {
        const slot = e * L + L - (t - j);
        examples.history[slot] = shopper.items[j];
        examples.mask[slot] = 1;
      }
    }
  }
  return examples;
}

/** Copies the examples at `indices` into a batch. */
export function gatherBatch(examples: TrainingExamples, indices: ArrayLike<number>): TrainingBatch {
  const L = examples.historyLength;
  const size = indices.length;
  const batch: TrainingBatch = {
    size,
    history: new Int32Array(size * L),
    mask: new Float32Array(size * L),
    store: new Int32Array(size),
    target: new Int32Array(size),
  };
  for (let b = 0; b < size; b++) {
    const e = indices[b];
    batch.history.set(examples.history.subarray(e * L, e * L + L), b * L);
    batch.mask.set(examples.mask.subarray(e * L, e * L + L), b * L);
    batch.store[b] = examples.store[e];
    batch.target[b] = examples.target[e];
  }
  return batch;
}
