/**
 * A small recommender with every parameter drawn at random (not the near-zero initial weights),
 * so tests that compare implementations exercise every term of the formula with real magnitudes.
 */
import { SeededRandom } from '../../models/data/seeded-random.ts';
import type { Shopper } from '../../models/data/retail-world.ts';
import { descriptionTokens } from '../../models/recommender/description-tokens.ts';
import { initializeWeights, type ItemFeatures, type ModelShape, type ModelWeights } from '../../models/index.ts';

const descriptionWordPool = ['red', 'blue', 'mug', 'cake', 'stand', 'heart', 'lights', 'set'];

export interface RandomModel {
  shape: ModelShape;
  weights: ModelWeights;
  features: ItemFeatures;
  /** Shoppers whose histories repeat items, so the repeat term is exercised. */
  shoppers: Shopper[];
}

/**
 * @example const { shape, weights, features } = randomModel(7);
 */
export function randomModel(seed: number, shape: ModelShape = { items: 30, stores: 3, categories: 4, embeddingDim: 5, storeDim: 3, historyLength: 6 }): RandomModel {
  const rng = new SeededRandom(seed);
  const vocabulary = {
    itemIds: Array.from({ length: shape.items }, (_, i) => `i${i}`),
    categories: Array.from({ length: shape.categories }, (_, c) => `c${c}`),
    storeIds: Array.from({ length: shape.stores }, (_, s) => `s${s}`),
  };
  const weights = initializeWeights(shape, vocabulary, seed);
  for (let i = 0; i < weights.values.length; i++) weights.values[i] = 0.5 * rng.normal();
  const features: ItemFeatures = {
    category: Int32Array.from({ length: shape.items }, (_, i) => (i < shape.categories ? i : rng.int(shape.categories))),
    logPrice: Float32Array.from({ length: shape.items }, () => 0.8 * rng.normal()),
    promotion: Float32Array.from({ length: shape.items }, () => (rng.next() < 0.3 ? 1 : 0)),
    novelty: Float32Array.from({ length: shape.items }, () => (rng.next() < 0.2 ? 1 : 0)),
    // Two or three of eight words each, so many items share words and the description term is exercised.
    description: descriptionTokens(Array.from({ length: shape.items }, () => Array.from({ length: 2 + rng.int(2) }, () => descriptionWordPool[rng.int(descriptionWordPool.length)]).join(' '))),
  };
  const shoppers: Shopper[] = Array.from({ length: 12 }, (_, s) => {
    const length = 2 + rng.int(2 * shape.historyLength);
    const items: number[] = [];
    for (let t = 0; t < length; t++) items.push(t > 0 && rng.next() < 0.3 ? rng.pick(items) : rng.int(shape.items));
    return { id: `shopper${s}`, store: rng.int(shape.stores), items, times: items.map((_, t) => t) };
  });
  return { shape, weights, features, shoppers };
}
