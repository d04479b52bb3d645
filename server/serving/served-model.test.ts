import { expect } from 'chai';
import { generateWorld } from '../../client-sim/world/generate-world.ts';
import { modelForWorld } from '../../models/recommender/model-for-world.ts';
import { parameterView } from '../../models/weights/model-weights.ts';
import { FedrecError } from '../errors/index.ts';
import { recommend } from './recommend.ts';
import { ServedModel } from './served-model.ts';

describe('ServedModel', () => {
  const world = generateWorld({ seed: 2, stores: 2, shoppers: 20, items: 60 });
  const request = { history: [{ itemId: world.catalog[4].id }], context: { storeId: world.stores[0].id }, personalization: true, k: 5, explain: true };

  it('is unavailable until the first release', () => {
    const served = new ServedModel({ catalog: world.catalog });
    expect(served.current()).to.equal(undefined);
    expect(() => served.require()).to.throw(FedrecError).with.property('code', 'unavailable');
  });

  it('release swaps one complete snapshot; a holder of the old one keeps a consistent old version', () => {
    const served = new ServedModel({ catalog: world.catalog });
    const first = served.release(1, modelForWorld(world, 1).weights);
    const old = recommend(first, request);
    const second = served.release(2, modelForWorld(world, 2).weights);
    expect(served.require()).to.equal(second);
    expect(recommend(first, request)).to.deep.equal(old);
    expect(recommend(second, request).modelVersion).to.equal(2);
  });

  it('copies the weights it serves: the trainer may keep updating its own array', () => {
    const served = new ServedModel({ catalog: world.catalog });
    const weights = modelForWorld(world, 3).weights;
    served.release(1, weights);
    const before = recommend(served.require(), request);
    parameterView(weights, 'itemBias').fill(5);
    expect(recommend(served.require(), request)).to.deep.equal(before);
  });

  it('a catalogue update rebuilds the features under the same version', () => {
    const served = new ServedModel({ catalog: world.catalog });
    const snapshot = served.release(7, modelForWorld(world, 4).weights);
    served.updateCatalog([{ ...world.catalog[0], price: world.catalog[0].price * 3 }]);
    expect(served.require()).to.not.equal(snapshot);
    expect(served.require().version).to.equal(7);
    expect(served.require().items[0]!.price).to.equal(world.catalog[0].price * 3);
    expect(snapshot.items[0]!.price).to.equal(world.catalog[0].price);
  });
});
