import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { randomModel } from '../../test/helpers/random-model.ts';
import { selectBackend } from '../backend/select-backend.ts';
import { gatherBatch, trainingExamples } from '../training/training-examples.ts';
import { trainCentralized } from '../training/train-centralized.ts';
import { allocateWeights, cloneWeights } from '../weights/model-weights.ts';
import { ConceptScorer } from './concept-scorer.ts';
import { parameterShapes } from './model-shape.ts';
import { RecommenderGraph } from './recommender-graph.ts';

describe('RecommenderGraph (tfjs training graph)', () => {
  const model = randomModel(5);
  const { shape, features } = model;
  const examples = trainingExamples(model.shoppers, shape.historyLength);
  const batch = gatherBatch(examples, Int32Array.from({ length: examples.count }, (_, i) => i));
  const everyItem = Int32Array.from({ length: shape.items }, (_, i) => i);

  before(async () => {
    await selectBackend(() => {});
  });

  // One category too: a CSV without a category column has exactly one.
  for (const [label, agreement] of [['', model], [', one category', randomModel(6, { items: 12, stores: 2, categories: 1, embeddingDim: 4, storeDim: 2, historyLength: 4 })]] as const) {
    it(`computes the same scores as the ConceptScorer: loss against every item = mean(logsumexp − target score)${label}`, () => {
      const graph = new RecommenderGraph(agreement.shape, agreement.features);
      const rows = gatherBatch(trainingExamples(agreement.shoppers, agreement.shape.historyLength), Int32Array.from({ length: 24 }, (_, i) => i));
      try {
        graph.setWeights(agreement.weights);
        const loss = tf.tidy(() => graph.loss(rows, Int32Array.from({ length: agreement.shape.items }, (_, i) => i)).dataSync()[0]);
        // With the whole catalogue as negatives, the accidental-hit mask drops the target's duplicate
        // and the sampled softmax is the full softmax, computed here from the typed-array scorer.
        const scorer = new ConceptScorer(agreement.shape, agreement.weights, agreement.features);
        const scores = new Float32Array(agreement.shape.items);
        const L = agreement.shape.historyLength;
        let expected = 0;
        for (let b = 0; b < rows.size; b++) {
          const history: number[] = [];
          for (let j = 0; j < L; j++) if (rows.mask[b * L + j] === 1) history.push(rows.history[b * L + j]);
          scorer.scoreAll(scorer.prepare({ history, store: rows.store[b] }), scores);
          const max = Math.max(...scores);
          const logSumExp = max + Math.log(scores.reduce((sum, s) => sum + Math.exp(s - max), 0));
          expected += (logSumExp - scores[rows.target[b]]) / rows.size;
        }
        expect(Math.abs(loss - expected), `graph loss ${loss} vs scorer ${expected}`).to.be.below(1e-4 * Math.max(1, expected));
      } finally {
        graph.dispose();
      }
    });
  }

  it('descends: one small SGD step lowers the loss by about learningRate · |gradient|²', () => {
    const graph = new RecommenderGraph(shape, features);
    const learningRate = 1e-3;
    const optimizer = tf.train.sgd(learningRate);
    try {
      graph.setWeights(model.weights);
      const lossOf = (): tf.Scalar => graph.loss(batch, everyItem);
      const before = tf.tidy(() => lossOf().dataSync()[0]);
      const gradientNormSquared = tf.tidy(() => {
        const { grads } = tf.variableGrads(lossOf);
        return Object.values(grads).reduce((sum, g) => sum + g.square().sum().dataSync()[0], 0);
      });
      optimizer.minimize(lossOf);
      const after = tf.tidy(() => lossOf().dataSync()[0]);
      // First-order Taylor: loss(w − ηg) ≈ loss(w) − η|g|². A wrong or missing gradient breaks this.
      const predicted = learningRate * gradientNormSquared;
      expect(after).to.be.below(before);
      expect(Math.abs(before - after - predicted), `decrease ${before - after} vs predicted ${predicted}`).to.be.below(0.1 * predicted);
    } finally {
      optimizer.dispose();
      graph.dispose();
    }
  });

  it('round-trips weights exactly: readWeights(setWeights(w)) = w, bit for bit', () => {
    const graph = new RecommenderGraph(shape, features);
    try {
      const weights = cloneWeights(model.weights);
      weights.values[0] = -0;
      weights.values[1] = 1e-40; // a subnormal
      graph.setWeights(weights);
      const back = graph.readWeights(allocateWeights(parameterShapes(shape), {}));
      const bits = (v: Float32Array): number[] => Array.from(new Uint32Array(v.buffer, v.byteOffset, v.length));
      expect(bits(back.values)).to.deep.equal(bits(weights.values));
    } finally {
      graph.dispose();
    }
  });

  it('leaks no tensors: the count is flat over 20 training steps and back to the start afterwards', async () => {
    const small = randomModel(2);
    const startCount = tf.memory().numTensors;
    const counts: number[] = [];
    await trainCentralized(small.weights, small.features, small.shoppers, {
      epochs: 3,
      batchSize: 8,
      learningRate: 0.01,
      negatives: 16,
      seed: 2,
      onProgress: () => counts.push(tf.memory().numTensors),
    });
    expect(counts.length).to.be.at.least(20);
    // After the first step Adam's moment estimates exist; from then on nothing may accumulate.
    expect(new Set(counts.slice(1)).size, `tensor counts per step: ${counts.join(' ')}`).to.equal(1);
    expect(tf.memory().numTensors, 'after training').to.equal(startCount);
  });
});
