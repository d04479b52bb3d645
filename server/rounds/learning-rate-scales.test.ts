import { expect } from 'chai';
import { allocateWeights } from '../../models/weights/model-weights.ts';
import { FedrecError } from '../errors/index.ts';
import { jobConfigSchema } from './job-config.ts';
import { learningRateScaleVector } from './learning-rate-scales.ts';

const manifest = allocateWeights(
  [
    { name: 'itemBias', shape: [3] },
    { name: 'repeatWeight', shape: [1] },
    { name: 'storeEmbedding', shape: [2, 2] },
  ],
  {},
).manifest;

describe('server learning-rate scales', () => {
  it("lay each named parameter's scale over its coordinates and 1 over the rest", () => {
    expect([...learningRateScaleVector(manifest, { repeatWeight: 0.25, storeEmbedding: 2 })!]).to.deep.equal([1, 1, 1, 0.25, 2, 2, 2, 2]);
  });

  it('are absent when nothing is scaled, so the optimizers take their plain path', () => {
    expect(learningRateScaleVector(manifest, undefined)).to.equal(undefined);
    expect(learningRateScaleVector(manifest, {})).to.equal(undefined);
  });

  it('refuse a parameter the model does not have as invalid input, on its path, naming what the model has', () => {
    let thrown: unknown;
    try {
      learningRateScaleVector(manifest, { repeatWeight: 0.5, repeatWieght: 0.5, itemBais: 2 });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).to.be.instanceOf(FedrecError);
    const error = thrown as FedrecError;
    expect(error.code).to.equal('invalid-input');
    expect(error.status).to.equal(400);
    expect(error.issues.map((i) => i.path.join('.'))).to.deep.equal(['serverLearningRateScales.repeatWieght', 'serverLearningRateScales.itemBais']);
    expect(error.issues[0].message).to.contain('itemBias, repeatWeight, storeEmbedding');
  });

  it('are positive and bounded in the job config', () => {
    const parse = (scales: unknown) => jobConfigSchema.safeParse({ rounds: 1, samplingRate: 0.1, serverLearningRateScales: scales });
    expect(parse({ repeatWeight: 0.25 }).success).to.equal(true);
    for (const bad of [{ repeatWeight: 0 }, { repeatWeight: -1 }, { repeatWeight: 101 }, { repeatWeight: Number.NaN }, { '': 1 }, [0.5]]) expect(parse(bad).success, JSON.stringify(bad)).to.equal(false);
  });
});
