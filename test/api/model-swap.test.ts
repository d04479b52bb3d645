import { expect } from 'chai';
import type { ModelWeights } from '../../models/weights/model-weights.ts';
import { contextOf, expectEfficient } from './attribution-checks.ts';
import { activeWeights, historyOf, startServing, type Serving } from './serving-harness.ts';

describe('model release while requests are in flight', () => {
  let serving: Serving;
  before(async () => {
    serving = await startServing();
  });
  after(() => serving.close());

  it('every response is consistent with exactly one version', async () => {
    const { world, servedModel } = serving;
    const pool = [activeWeights(world, 11), activeWeights(world, 12), activeWeights(world, 13)];
    const released = new Map<number, ModelWeights>([[1, pool[0]]]);
    let done = false;
    const releasing = (async () => {
      for (let version = 2; !done; version++) {
        await new Promise((resolve) => setTimeout(resolve, 2));
        released.set(version, pool[version % pool.length]);
        servedModel.release(version, pool[version % pool.length]);
      }
    })();
    const requests = Array.from({ length: 240 }, (_, n) => {
      const history = historyOf(world, n, 2 + (n % 10));
      const storeId = world.stores[n % 4].id;
      return serving.call('POST', '/v1/recommendations', { history, context: { storeId }, personalization: true, k: 10 }).then(({ body }) => ({ body, history, storeId }));
    });
    const responses = await Promise.all(requests);
    done = true;
    await releasing;
    const versions = new Set(responses.map((r) => r.body.modelVersion));
    expect(versions.size, 'releases happened while requests were in flight').to.be.at.least(2);
    const scorers = new Map([...released].map(([version, weights]) => [version, serving.scorerFor(weights)]));
    for (const { body, history, storeId } of responses) {
      const scorer = scorers.get(body.modelVersion)!;
      const context = contextOf(world, history, storeId);
      for (const item of body.items) expectEfficient(item, world, scorer, context);
    }
  });
});
