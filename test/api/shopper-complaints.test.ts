/**
 * Complaint rates in the merchant view against hand-computed values: recommendations served per
 * item are counted from the responses themselves (the first 10 items of each), complaints are the
 * not-relevant and never-show feedback sent; with sealing noise 0 the report must equal
 * 1000 × complaints ÷ recommended per item, per category and per model version, and withhold
 * cohorts under the minimum. Days are only read once sealed (the next day).
 */
import { expect } from 'chai';
import { countedItemsPerRequest } from '../../server/exposure/index.ts';
import { MemoryStore } from '../../server/store/index.ts';
import { activeWeights, historyOf, startServing, type Serving } from './serving-harness.ts';

describe('complaint rates in the merchant view', () => {
  let now = new Date('2026-12-01T09:00:00.000Z');
  let serving: Serving;
  before(async () => {
    serving = await startServing({ store: new MemoryStore(), minCohort: 5, clock: () => now, sealNoiseStd: 0 });
  });
  after(() => serving.close());

  it('equals the hand-computed rates per item, category and model version, with small cohorts withheld', async () => {
    const { world } = serving;
    const shown = new Map<string, number>();
    const shownByVersion = new Map<number, number>();
    const serve = async (shopper: number) => {
      const { body } = await serving.call('POST', '/v1/recommendations', { history: historyOf(world, shopper), context: { storeId: world.stores[shopper % 4].id }, personalization: true, k: 12 });
      for (const item of body.items.slice(0, countedItemsPerRequest)) {
        shown.set(item.itemId, (shown.get(item.itemId) ?? 0) + 1);
        shownByVersion.set(body.modelVersion, (shownByVersion.get(body.modelVersion) ?? 0) + 1);
      }
      return body;
    };
    const complaints = new Map<string, { notRelevant: number; neverShow: number }>();
    const byVersion = new Map<number, number>();
    // Feedback names the version that served the item, while it serves (the server checks it knows it).
    const complain = async (served: { itemId: string; modelVersion: number }[], offset: number) => {
      for (const [i, { itemId, modelVersion }] of served.entries()) {
        const n = offset + i;
        if (n % 3 === 2) continue;
        const kind = n % 3 === 0 ? 'not-relevant' : 'never-show';
        const shopperId = n % 2 === 0 ? `complainer-${n}` : undefined;
        expect((await serving.call('POST', '/v1/feedback', { ...(shopperId ? { shopperId } : {}), itemId, modelVersion, kind })).status).to.equal(200);
        const c = complaints.get(itemId) ?? { notRelevant: 0, neverShow: 0 };
        if (kind === 'not-relevant') c.notRelevant++;
        else c.neverShow++;
        complaints.set(itemId, c);
        byVersion.set(modelVersion, (byVersion.get(modelVersion) ?? 0) + 1);
      }
    };
    const first: { itemId: string; modelVersion: number }[] = [];
    for (let s = 0; s < 30; s++) first.push(...(await serve(s)).items.slice(0, 3).map((i: { itemId: string }) => ({ itemId: i.itemId, modelVersion: 1 })));
    await complain(first, 0);
    serving.servedModel.release(2, activeWeights(world, 17, 2));
    const second: { itemId: string; modelVersion: number }[] = [];
    for (let s = 30; s < 45; s++) second.push(...(await serve(s)).items.slice(0, 2).map((i: { itemId: string }) => ({ itemId: i.itemId, modelVersion: 2 })));
    await complain(second, first.length);
    // A rating is not a complaint.
    expect((await serving.call('POST', '/v1/feedback', { itemId: second[0].itemId, modelVersion: 2, kind: 'rating', rating: 1 })).status).to.equal(200);

    const today = await serving.call('GET', '/v1/merchant/complaints');
    expect(today.body.items, 'today is not sealed yet').to.deep.equal([]);
    now = new Date('2026-12-02T09:00:00.000Z');
    const { status, body } = await serving.call('GET', '/v1/merchant/complaints');
    expect(status).to.equal(200);
    expect(body.denominator).to.equal('recommendations-served');

    const catalog = new Map(world.catalog.map((i) => [i.id, i]));
    let withheld = 0;
    for (const row of body.items) {
      const recommended = shown.get(row.itemId) ?? 0;
      const c = complaints.get(row.itemId) ?? { notRelevant: 0, neverShow: 0 };
      expect(row.category).to.equal(catalog.get(row.itemId)!.category);
      if (recommended < 5) {
        expect(row).to.deep.equal({ itemId: row.itemId, category: row.category, withheld: true, reason: 'fewer than 5 recommendations' });
        withheld++;
        continue;
      }
      expect(row, row.itemId).to.deep.equal({ itemId: row.itemId, category: row.category, withheld: false, recommended, ...c, complaints: c.notRelevant + c.neverShow, perThousand: (1000 * (c.notRelevant + c.neverShow)) / recommended });
    }
    expect(body.items.length, 'every item recommended or complained about').to.equal(new Set([...shown.keys(), ...complaints.keys()]).size);
    expect(withheld).to.be.greaterThan(0);
    expect(body.items.filter((r: { withheld: boolean; complaints?: number }) => !r.withheld && r.complaints! > 0).length).to.be.greaterThan(3);

    const perCategory = new Map<string, { recommended: number; complaints: number }>();
    for (const id of new Set([...shown.keys(), ...complaints.keys()])) {
      const category = catalog.get(id)!.category;
      const t = perCategory.get(category) ?? { recommended: 0, complaints: 0 };
      t.recommended += shown.get(id) ?? 0;
      t.complaints += (complaints.get(id)?.notRelevant ?? 0) + (complaints.get(id)?.neverShow ?? 0);
      perCategory.set(category, t);
    }
    for (const row of body.categories) {
      const t = perCategory.get(row.category)!;
      if (t.recommended < 5) expect(row.withheld).to.equal(true);
      else expect([row.recommended, row.complaints, row.perThousand]).to.deep.equal([t.recommended, t.complaints, (1000 * t.complaints) / t.recommended]);
    }
    expect(body.modelVersions.map((v: { modelVersion: number; recommended: number; complaints: number; perThousand: number }) => [v.modelVersion, v.recommended, v.complaints, v.perThousand])).to.deep.equal(
      [1, 2].map((v) => [v, shownByVersion.get(v)!, byVersion.get(v)!, (1000 * byVersion.get(v)!) / shownByVersion.get(v)!]),
    );
  });
});
