import { expect } from 'chai';
import { ConceptScorer } from './concept-scorer.ts';
import { initializeWeights, withRepeatPrior } from './initialize-weights.ts';
import { modelRanker } from './model-ranker.ts';
import type { ItemFeatures } from './item-features.ts';
import { descriptionTokens } from './description-tokens.ts';

describe('withRepeatPrior', () => {
  const shape = { items: 200, stores: 2, categories: 1, embeddingDim: 32, storeDim: 8, historyLength: 20 };
  const vocabulary = { itemIds: Array.from({ length: 200 }, (_, i) => `i${i}`), categories: ['c'], storeIds: ['a', 'b'] };
  const features: ItemFeatures = { category: new Int32Array(200), logPrice: new Float32Array(200), promotion: new Float32Array(200), novelty: new Float32Array(200), description: descriptionTokens(Array.from({ length: 200 }, () => undefined)) };
  // 20 purchases of 12 distinct items: 3, 7 and 11 bought three times, the rest once or twice.
  const history = [3, 7, 11, 40, 41, 3, 7, 11, 42, 43, 3, 7, 11, 44, 45, 46, 47, 48, 40, 41];

  it('makes the untrained model rank the shopper\'s own purchases first, most bought first', () => {
    const plain = modelRanker(new ConceptScorer(shape, initializeWeights(shape, vocabulary, 3), features));
    const primed = modelRanker(new ConceptScorer(shape, withRepeatPrior(initializeWeights(shape, vocabulary, 3)), features));
    const bought = new Set(history);
    const top = primed.rank({ store: 0, history }, 12);
    expect(new Set(top)).to.deep.equal(bought);
    expect(new Set(top.slice(0, 3))).to.deep.equal(new Set([3, 7, 11]));
    // Without the prior the random embeddings decide, and the history does not fill the top 12.
    expect(plain.rank({ store: 0, history }, 12).filter((i) => bought.has(i)).length).to.be.below(12);
  });
});
