import { expect } from 'chai';
import { generateWorld } from '../../client-sim/world/generate-world.ts';
import { modelForWorld } from '../../models/recommender/model-for-world.ts';
import { MemoryStore } from '../store/index.ts';
import { loadServedModel } from './load-served-model.ts';

describe('loadServedModel', () => {
  const world = generateWorld({ seed: 4, stores: 2, shoppers: 20, items: 40 });
  const weights = (version: number) => ({ ...modelForWorld(world, version).weights, manifest: { ...modelForWorld(world, version).weights.manifest, version } });

  it('serves the newest version a training round released, not a newer upload or starting point', async () => {
    const store = new MemoryStore();
    await store.putCatalog(world.catalog);
    await store.saveModelVersion({ version: 0, jobId: null, round: 0, metrics: {}, epsilon: 0 }, weights(0));
    await store.saveModelVersion({ version: 1, jobId: null, round: 1, metrics: {}, epsilon: 1 }, weights(1));
    await store.saveModelVersion({ version: 2, jobId: null, round: 2, metrics: {}, epsilon: 2 }, weights(2));
    // Uploaded after the job (POST /v1/model-versions): stored as round 0, never trained here.
    await store.saveModelVersion({ version: 3, jobId: null, round: 0, metrics: {}, epsilon: null }, weights(3));
    expect((await loadServedModel(store)).current()?.version).to.equal(2);
  });

  it('serves nothing (503 on the API) while only starting points and uploads are stored', async () => {
    const store = new MemoryStore();
    await store.putCatalog(world.catalog);
    await store.saveModelVersion({ version: 0, jobId: null, round: 0, metrics: {}, epsilon: null }, weights(0));
    expect((await loadServedModel(store)).current()).to.equal(undefined);
  });

  it('refuses a released version holding a non-finite weight, serves the previous one, and reports the refusal', async () => {
    const store = new MemoryStore();
    await store.putCatalog(world.catalog);
    await store.saveModelVersion({ version: 1, jobId: null, round: 1, metrics: {}, epsilon: 0 }, weights(1));
    const poisoned = weights(2);
    poisoned.values[7] = Number.POSITIVE_INFINITY;
    await store.saveModelVersion({ version: 2, jobId: null, round: 2, metrics: {}, epsilon: 0 }, poisoned);
    const served = await loadServedModel(store);
    expect(served.current()?.version).to.equal(1);
    const { servingVersion, refusal } = served.readiness();
    expect(servingVersion).to.equal(1);
    expect(refusal).to.deep.include({ version: 2 });
    expect(refusal!.reason).to.match(/non-finite weight \(Infinity at 7\)/);
    // A live release of a non-finite version is refused the same way, and the served one stays.
    const nan = weights(3);
    nan.values[0] = Number.NaN;
    expect(() => served.release(3, nan)).to.throw(/non-finite/);
    expect(served.current()?.version).to.equal(1);
    expect(served.readiness().refusal!.version).to.equal(3);
  });
});
