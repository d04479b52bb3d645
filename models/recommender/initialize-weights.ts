/** Fresh weights for a model shape: small seeded Gaussian embeddings, neutral scalars. */
import { SeededRandom } from '../../client-sim/world/seeded-random.ts';
import { allocateWeights, parameterView, type ModelWeights } from '../weights/model-weights.ts';
import { parameterShapes, type ModelShape } from './model-shape.ts';

/** softplus⁻¹(1): position weights start equal to 1. */
const unitSoftplus = Math.log(Math.E - 1);

/**
 * @example const weights = initializeWeights(shape, 42);
 */
export function initializeWeights(shape: ModelShape, seed: number): ModelWeights {
  const weights = allocateWeights(parameterShapes(shape), { shape });
  const rng = new SeededRandom(seed);
  for (const name of ['itemHistory', 'itemCandidate', 'storeEmbedding', 'itemStore'] as const) {
    const values = parameterView(weights, name);
    for (let i = 0; i < values.length; i++) values[i] = 0.1 * rng.normal();
  }
  parameterView(weights, 'positionWeight').fill(unitSoftplus);
  parameterView(weights, 'priceFit')[0] = -1;
  return weights;
}

/** The ModelShape a set of weights was built for (kept in its manifest). */
export function shapeOf(weights: ModelWeights): ModelShape {
  const shape = weights.manifest.meta.shape as ModelShape | undefined;
  if (!shape) throw new Error('shapeOf: weights manifest has no meta.shape');
  return shape;
}
