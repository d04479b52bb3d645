import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { SeededRandom } from '../data/seeded-random.ts';
import { randomModel } from '../../test/helpers/random-model.ts';
import { selectBackend } from '../backend/select-backend.ts';
import { RecommenderGraph } from '../recommender/recommender-graph.ts';
import { sampledSoftmaxGradient, SparseGradient } from './sampled-softmax-gradient.ts';
import { gatherBatch, trainingExamples } from './training-examples.ts';
import { sampleNegatives } from './sample-negatives.ts';

describe('sampledSoftmaxGradient (hand-written, sparse) against tfjs autograd', () => {
  before(async () => {
    await selectBackend(() => {});
  });

  // Random models exercise every term with real magnitudes; negatives with duplicates and
  // accidental hits (a negative equal to a row's target) are drawn on purpose from a small catalogue.
  for (const seed of [3, 4, 5]) {
    it(`agrees on the loss and on every parameter's gradient (seed ${seed})`, () => {
      const model = randomModel(seed);
      const { shape, weights, features } = model;
      const examples = trainingExamples(model.shoppers, shape.historyLength);
      const batch = gatherBatch(examples, Int32Array.from({ length: Math.min(40, examples.count) }, (_, i) => i));
      const negatives = sampleNegatives(new SeededRandom(seed), shape.items, 24);
      const graph = new RecommenderGraph(shape, features);
      try {
        graph.setWeights(weights);
        const { value, grads } = tf.variableGrads(() => graph.loss(batch, negatives));
        const expectedLoss = value.dataSync()[0];
        const gradient = new SparseGradient(weights.values.length);
        const loss = sampledSoftmaxGradient(shape, weights, features, batch, negatives, gradient);
        expect(Math.abs(loss - expectedLoss), `loss ${loss} vs ${expectedLoss}`).to.be.below(1e-4 * Math.max(1, expectedLoss));
        for (const p of weights.manifest.parameters) {
          const variable = graph.variables[p.name as keyof typeof graph.variables];
          const expected = grads[variable.name].dataSync();
          const scale = Math.max(1e-3, ...Array.from(expected, Math.abs));
          for (let i = 0; i < p.length; i++) {
            const actual = gradient.values[p.offset + i];
            if (!(Math.abs(actual - expected[i]) <= 2e-4 * scale)) expect.fail(`${p.name}[${i}]: ${actual} vs autograd ${expected[i]} (scale ${scale})`);
          }
        }
        value.dispose();
        Object.values(grads).forEach((g) => g.dispose());
      } finally {
        graph.dispose();
      }
    });
  }

  it('touches only the rows the batch reads, and clear() leaves it all zero again', () => {
    const model = randomModel(8, { items: 200, stores: 3, categories: 4, embeddingDim: 5, storeDim: 3, historyLength: 6 });
    const { shape, weights, features } = model;
    const batch = gatherBatch(trainingExamples(model.shoppers.slice(0, 1), shape.historyLength), [0, 1]);
    const negatives = Int32Array.of(5, 6, 7);
    const gradient = new SparseGradient(weights.values.length);
    sampledSoftmaxGradient(shape, weights, features, batch, negatives, gradient);
    const touched = new Set(gradient.touched());
    expect(touched.size).to.be.above(0).and.below(weights.values.length / 4);
    for (let i = 0; i < gradient.values.length; i++) if (gradient.values[i] !== 0 && !touched.has(i)) expect.fail(`value ${i} changed but was not declared touched`);
    gradient.clear();
    expect(gradient.values.every((v) => v === 0)).to.equal(true);
    expect(gradient.touched().length).to.equal(0);
  });
});
