/**
 * Small hand-made or random models for the explainer tests: every parameter and item feature is
 * given directly, so a test can build exactly the game it needs (a purchase with no effect, two
 * interchangeable purchases) without training or a synthetic world.
 */
import fc from 'fast-check';
import { ConceptScorer } from '../../models/recommender/concept-scorer.ts';
import type { ItemFeatures } from '../../models/recommender/item-features.ts';
import { descriptionTokens } from '../../models/recommender/description-tokens.ts';
import { parameterShapes, type ModelShape, type ParameterName } from '../../models/recommender/model-shape.ts';
import { allocateWeights, parameterView, type ModelWeights } from '../../models/weights/model-weights.ts';
import { conceptGame, type ConceptGame } from './concept-game.ts';

export interface TinyModelSpec {
  shape: ModelShape;
  /** Every parameter's values back to back, in `parameterShapes` order (missing values are 0). */
  values: number[];
  category: number[];
  logPrice: number[];
  promotion: boolean[];
  novelty: boolean[];
  /** Item names (their words feed the description term); default: words shared by category and by index mod 3. */
  names?: string[];
}

export interface TinyModel {
  scorer: ConceptScorer;
  weights: ModelWeights;
  /** Overwrites one parameter's values (from index 0). */
  set(name: ParameterName, values: number[], from?: number): void;
}

export function tinyModel(spec: TinyModelSpec): TinyModel {
  const weights = allocateWeights(parameterShapes(spec.shape), { shape: spec.shape });
  weights.values.set(spec.values.slice(0, weights.values.length));
  const features: ItemFeatures = {
    category: Int32Array.from(spec.category),
    logPrice: Float32Array.from(spec.logPrice),
    promotion: Float32Array.from(spec.promotion, Number),
    novelty: Float32Array.from(spec.novelty, Number),
    description: descriptionTokens(spec.names ?? spec.category.map((c, i) => `kind${c} tone${i % 3} item${i}`)),
  };
  return {
    scorer: new ConceptScorer(spec.shape, weights, features),
    weights,
    set: (name, values, from = 0) => parameterView(weights, name).set(values, from),
  };
}

export interface RandomGameSpec extends TinyModelSpec {
  history: number[];
  store: number;
  item: number;
}

/** Random small games: at most 5 distinct purchases plus the 5 fixed concepts, so ≤ 10 players. */
export const randomGameSpec: fc.Arbitrary<RandomGameSpec> = fc
  .record({
    items: fc.integer({ min: 2, max: 8 }),
    stores: fc.integer({ min: 1, max: 2 }),
    categories: fc.integer({ min: 1, max: 3 }),
    embeddingDim: fc.integer({ min: 1, max: 4 }),
    storeDim: fc.integer({ min: 1, max: 2 }),
    historyLength: fc.integer({ min: 1, max: 6 }),
  })
  .chain((shape) => {
    const size = parameterShapes(shape).reduce((total, p) => total + p.shape.reduce((a, b) => a * b, 1), 0);
    const perItem = <T>(arbitrary: fc.Arbitrary<T>) => fc.array(arbitrary, { minLength: shape.items, maxLength: shape.items });
    return fc.record({
      shape: fc.constant(shape),
      values: fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: size, maxLength: size }),
      category: perItem(fc.integer({ min: 0, max: shape.categories - 1 })),
      logPrice: perItem(fc.double({ min: -1, max: 2.5, noNaN: true })),
      promotion: perItem(fc.boolean()),
      novelty: perItem(fc.boolean()),
      history: fc.array(fc.integer({ min: 0, max: shape.items - 1 }), { maxLength: 5 }),
      store: fc.integer({ min: -1, max: shape.stores - 1 }),
      item: fc.integer({ min: 0, max: shape.items - 1 }),
    });
  });

/** The game a random spec describes. */
export function randomGame(spec: RandomGameSpec): ConceptGame {
  const model = tinyModel(spec);
  return conceptGame(model.scorer, model.weights, { history: spec.history, store: spec.store }, spec.item);
}
