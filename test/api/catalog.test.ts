import { expect } from 'chai';
import { startServing, strangerItem, type Serving } from './serving-harness.ts';

describe('catalogue routes', () => {
  let serving: Serving;
  before(async () => {
    serving = await startServing();
  });
  after(() => serving.close());

  it('PUT upserts in bulk and names the items the served model cannot score', async () => {
    const known = serving.world.catalog[0];
    const items = [
      { ...known, name: `${known.name} (new label)` },
      { id: 'x-new-002', name: 'Harbour Oat Bars 6 pack', category: 'Snacks', brand: 'Harbour', price: 3.1, promotion: false, novelty: true },
      { id: 'x-new-003', name: 'Astro Mooncake', category: 'Space Food', brand: 'Astro', price: 9, promotion: false, novelty: true },
    ];
    const { status, body } = await serving.call('PUT', '/v1/catalog', { items });
    expect(status).to.equal(200);
    expect(body).to.deep.equal({
      inserted: 2,
      updated: 1,
      modelVersion: 1,
      unscorable: [
        { itemId: 'x-new-002', cause: 'not-in-model' },
        { itemId: 'x-new-003', cause: 'not-in-model' },
      ],
    });
    expect((await serving.call('GET', `/v1/catalog/${known.id}`)).body.item.name).to.equal(`${known.name} (new label)`);
    await serving.call('PUT', '/v1/catalog', { items: [known] });
  });

  it('GET returns the item and whether it can be scored', async () => {
    const known = serving.world.catalog[3];
    expect((await serving.call('GET', `/v1/catalog/${known.id}`)).body).to.deep.equal({ item: known, modelVersion: 1, scorable: true });
    const stranger = await serving.call('GET', `/v1/catalog/${strangerItem.id}`);
    expect(stranger.body).to.deep.equal({ item: strangerItem, modelVersion: 1, scorable: false, unscorableCause: 'not-in-model' });
  });

  it('an item moved to a category the model does not know is kept but no longer scored', async () => {
    const item = serving.world.catalog[7];
    const { body } = await serving.call('PUT', '/v1/catalog', { items: [{ ...item, category: 'Space Food' }] });
    expect(body.unscorable).to.deep.equal([{ itemId: item.id, cause: 'category-unknown-to-model' }]);
    const recommended = await serving.call('POST', '/v1/recommendations', { context: { storeId: serving.world.stores[0].id }, personalization: true, k: 100, explain: false });
    expect(recommended.body.items.map((i: { itemId: string }) => i.itemId)).to.not.include(item.id);
    await serving.call('PUT', '/v1/catalog', { items: [item] });
  });

  it('GET of an unknown item is a 404 in the error shape', async () => {
    const { status, body } = await serving.call('GET', '/v1/catalog/nope');
    expect(status).to.equal(404);
    expect(body).to.deep.equal({ error: { code: 'not-found', message: 'no catalogue item "nope"' } });
  });

  it('PUT rejects invalid items with every issue at once, and writes nothing', async () => {
    const before = (await serving.store.listCatalog()).length;
    const { status, body } = await serving.call('PUT', '/v1/catalog', {
      items: [
        { id: 'x1', name: 'Free Lunch', category: 'Deli', brand: 'B', price: 0, promotion: false, novelty: false },
        { id: 'x1', name: 'Free Lunch', category: 'Deli', brand: 'B', price: 1, promotion: 'yes', novelty: false, colour: 'red' },
      ],
    });
    expect(status).to.equal(400);
    expect(body.error.code).to.equal('invalid-input');
    const paths = body.error.issues.map((i: { path: (string | number)[] }) => i.path.join('.'));
    expect(paths).to.include.members(['body.items.0.price', 'body.items.1.promotion', 'body.items.1']);
    expect((await serving.store.listCatalog()).length).to.equal(before);
  });
});
