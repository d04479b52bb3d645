/**
 * The store's federated evaluation: with `evaluateBaselines` the answer also carries the sums of
 * the per-store popularity and personal-repeat baselines, scored on exactly the shoppers the model
 * was scored on, and asking for them changes nothing else of the answer.
 */
import { expect } from 'chai';
import { generateWorld } from '../world/generate-world.ts';
import { leaveLastOut } from '../../models/data/leave-last-out.ts';
import { globalPopularity } from '../../models/evaluation/baselines.ts';
import { metricSums } from '../../models/evaluation/evaluate-ranker.ts';
import { personalRepeat } from '../../models/evaluation/personal-repeat.ts';
import { modelForWorld } from '../../models/recommender/model-for-world.ts';
import { LocalTrainer } from '../../models/training/local-update.ts';
import { SeededRandomSource, poissonSample, type RoundRequest } from '../../protocol/index.ts';
import { computeRoundUpdate } from './compute-round-update.ts';
import { storeData } from './connect-simulated-stores.ts';

describe('a store’s evaluation with its baselines', function () {
  this.timeout(120_000);
  const world = generateWorld({ seed: 6, stores: 2, shoppers: 300, items: 60 });
  const model = modelForWorld(world, 5, { embeddingDim: 8, storeDim: 4 });
  const data = storeData(leaveLastOut(world.shoppers), model.features, 1);
  const request = (evaluateBaselines: boolean, evaluationSamplingRate?: number): RoundRequest => ({
    jobId: 'j', round: 1, modelVersion: 0, nonce: 'n', samplingRate: 0.2, clipNorm: 0.5, localEpochs: 1, batchSize: 8, clientLearningRate: 1, evaluate: true, evaluationSamplingRate, evaluateBaselines, deadline: Date.now() + 600_000,
  });
  const answer = (evaluateBaselines: boolean, rate?: number) => computeRoundUpdate(request(evaluateBaselines, rate), model.weights, data, new LocalTrainer(model.features, 1), new SeededRandomSource(11));

  it('scores both baselines on the same Poisson-sampled cohort as the model, from the store’s own purchases', () => {
    const rate = 0.5;
    const update = answer(true, rate);
    const plain = answer(false, rate);
    expect({ ...update, evaluation: { ...update.evaluation!, baselines: undefined } }).to.deep.equal({ ...plain, evaluation: { ...plain.evaluation!, baselines: undefined } });
    const items = model.features.category.length;
    const cohortSize = update.evaluation!.shoppers;
    expect(cohortSize).to.be.within(1, data.test.length - 1);
    const popularity = globalPopularity(data.train, items);
    const repeat = personalRepeat(data.train, items);
    // The cohort is not returned, so replay the seeded draws in the client's order: the training sample, then the cohort.
    const training = new SeededRandomSource(11);
    poissonSample(data.train.length, 0.2, training);
    const cohort = poissonSample(data.test.length, rate, training).map((i) => data.test[i]);
    expect(cohort.length).to.equal(cohortSize);
    const expected = { popularity: metricSums(popularity, cohort, 10), repeat: metricSums(repeat, cohort, 10) };
    for (const name of ['popularity', 'repeat'] as const) {
      expect(update.evaluation!.baselines![name].recall).to.be.closeTo(expected[name].recall, 1e-9);
      expect(update.evaluation!.baselines![name].ndcg).to.be.closeTo(expected[name].ndcg, 1e-9);
      expect(update.evaluation!.baselines![name].recall).to.be.within(0, cohortSize);
    }
    expect(update.evaluation!.baselines!.repeat.recall, 'the two baselines are different rankers').to.not.equal(update.evaluation!.baselines!.popularity.recall);
  });

  it('sends no baseline sums when the round does not ask', () => {
    expect(answer(false).evaluation).to.not.have.property('baselines');
  });
});
