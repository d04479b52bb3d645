/** Builds the model shape, vocabulary and item features for a retail world. */
import type { RetailWorld } from '../data/retail-world.ts';
import { itemFeatures, type ItemFeatures } from './item-features.ts';
import { initializeWeights, type ModelVocabulary } from './initialize-weights.ts';
import { defaultShapeHyperparameters, type ModelShape } from './model-shape.ts';
import type { ModelWeights } from '../weights/model-weights.ts';

export interface WorldModel {
  shape: ModelShape;
  vocabulary: ModelVocabulary;
  features: ItemFeatures;
  weights: ModelWeights;
}

/**
 * @example const { weights, features } = modelForWorld(world, 1);
 */
export function modelForWorld(world: RetailWorld, seed: number, hyperparameters: Partial<Pick<ModelShape, 'embeddingDim' | 'storeDim' | 'historyLength'>> = {}): WorldModel {
  const shape: ModelShape = { items: world.catalog.length, stores: world.stores.length, categories: world.categories.length, ...defaultShapeHyperparameters, ...hyperparameters };
  const vocabulary: ModelVocabulary = { itemIds: world.catalog.map((i) => i.id), categories: [...world.categories], storeIds: world.stores.map((s) => s.id) };
  return { shape, vocabulary, features: itemFeatures(world.catalog, world.categories), weights: initializeWeights(shape, vocabulary, seed) };
}
