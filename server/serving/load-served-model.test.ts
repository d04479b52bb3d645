import { expect } from 'chai';
import { generateWorld } from '../../client-sim/world/generate-world.ts';
import { modelForWorld } from '../../models/recommender/model-for-world.ts';
import { MemoryStore, type ModelStateChange } from '../store/index.ts';
import { loadServedModel } from './load-served-model.ts';

describe('loadServedModel', () => {
  const world = generateWorld({ seed: 4, stores: 2, shoppers: 20, items: 40 });
  const weights = (version: number) => ({ ...modelForWorld(world, version).weights, manifest: { ...modelForWorld(world, version).weights.manifest, version } });
  const audit = { actor: 'system', action: 'model.approved', target: 'test', details: {} };
  const to = (state: ModelStateChange['to']['state']): ModelStateChange['to'] => ({ state, approval: null, kill: null, servingSince: state === 'serving' ? new Date().toISOString() : null });

  async function storeWithReleases(): Promise<MemoryStore> {
    const store = new MemoryStore();
    await store.putCatalog(world.catalog);
    await store.saveModelVersion({ version: 0, jobId: null, round: 0, metrics: {}, epsilon: 0 }, weights(0));
    await store.saveModelVersion({ version: 1, jobId: null, round: 1, metrics: {}, epsilon: 1 }, weights(1));
    await store.saveModelVersion({ version: 2, jobId: null, round: 2, metrics: {}, epsilon: 2 }, weights(2));
    return store;
  }

  it('serves the version in `serving`, not the newest release', async () => {
    const store = await storeWithReleases();
    await store.changeModelStates([{ version: 1, from: null, to: to('serving') }], audit);
    expect((await loadServedModel(store)).current()?.version).to.equal(1);
  });

  it('serves nothing (503 on the API) while every release is a candidate', async () => {
    const served = await loadServedModel(await storeWithReleases());
    expect(served.current()).to.equal(undefined);
    expect(served.withdrawn).to.equal(false);
  });

  it('starts withdrawn (the store ranking) when a kill left no serving version', async () => {
    const store = await storeWithReleases();
    await store.changeModelStates([{ version: 2, from: null, to: to('killed') }], { ...audit, action: 'model.killed' });
    const served = await loadServedModel(store);
    expect(served.current()).to.equal(undefined);
    expect(served.withdrawn).to.equal(true);
  });

  it('refuses a serving version holding a non-finite weight at load, serves nothing, and reports the refusal', async () => {
    const store = new MemoryStore();
    await store.putCatalog(world.catalog);
    const poisoned = weights(2);
    poisoned.values[7] = Number.POSITIVE_INFINITY;
    await store.saveModelVersion({ version: 2, jobId: null, round: 2, metrics: {}, epsilon: 0 }, poisoned);
    await store.changeModelStates([{ version: 2, from: null, to: to('serving') }], audit);
    const served = await loadServedModel(store);
    expect(served.current(), 'nothing rather than NaN scores').to.equal(undefined);
    const { servingVersion, refusal } = served.readiness();
    expect(servingVersion).to.equal(null);
    expect(refusal).to.deep.include({ version: 2 });
    expect(refusal!.reason).to.match(/non-finite weight \(Infinity at 7\)/);
  });

  it('refuses a live release (an approval) of a non-finite version, and the served one stays', async () => {
    const store = await storeWithReleases();
    await store.changeModelStates([{ version: 1, from: null, to: to('serving') }], audit);
    const served = await loadServedModel(store);
    const nan = weights(3);
    nan.values[0] = Number.NaN;
    expect(() => served.release(3, nan)).to.throw(/non-finite/);
    expect(() => served.prepare(3, nan), 'what an approval builds before it commits').to.throw(/non-finite/);
    expect(served.current()?.version).to.equal(1);
    expect(served.readiness()).to.deep.include({ servingVersion: 1 });
    expect(served.readiness().refusal!.version).to.equal(3);
  });
});
