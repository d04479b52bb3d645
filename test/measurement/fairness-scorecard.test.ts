/**
 * The fairness-of-exposure report and the scorecard against figures computed by hand in this
 * file, over HTTP on a SQLite file with sealing noise 0 (so a sealed counter equals the exact
 * count): position-weighted exposure from the responses served (1/log2(rank + 1) for each of the
 * first 10 items), purchase (merit) and catalogue shares per category, brand, price band (the
 * catalogue's terciles) and newness, the largest gap; then the scorecard's consent rates and their
 * change, complaint rate per 1,000 impressions, suppression list, ε, uplift, largest gap and audit
 * chain, and its markdown.
 */
import { expect } from 'chai';
import type { CatalogItem } from '../../models/data/retail-world.ts';
import { startMeasured, type Measured } from './measurement-harness.ts';

const dimensions = ['category', 'brand', 'price-band', 'newness'] as const;

describe('fairness of exposure and the scorecard against hand-computed figures (HTTP, SQLite file)', () => {
  let m: Measured;
  before(async () => {
    m = await startMeasured({ minCohort: 2, now: new Date('2026-12-09T12:00:00.000Z') });
  });
  after(() => m.close());

  it('reports exposure, catalogue and merit shares per group, the largest gap, and a scorecard of the same day', async () => {
    const { serving } = m;
    expect((await serving.call('PUT', '/v1/measurement/settings', { holdoutShare: 0.5 })).status).to.equal(200);
    const ids = Array.from({ length: 12 }, (_, n) => `f-${n}`);
    for (const id of ids) await m.optIn(id);
    m.clock.now = new Date('2026-12-10T12:00:00.000Z');
    const time = m.clock.now.toISOString();
    const exposure = new Map<string, number>();
    const purchases = new Map<string, number>();
    let impressions = 0;
    const served: { id: string; rec: any }[] = [];
    for (let n = 0; n < 16; n++) {
      const id = n < 12 ? ids[n] : undefined;
      const body = id ? m.request(id, n, 12) : (({ shopperId: _, ...rest }) => rest)(m.request('x', n, 12));
      const rec = (await serving.call('POST', '/v1/recommendations', body)).body;
      rec.items.slice(0, 10).forEach((item: { itemId: string }, r: number) => exposure.set(item.itemId, (exposure.get(item.itemId) ?? 0) + 1 / Math.log2(r + 2)));
      if (id) served.push({ id, rec });
    }
    for (const [n, { id, rec }] of served.entries()) {
      const shown = rec.items.slice(0, 5).map((i: { itemId: string }, k: number) => ({ itemId: i.itemId, position: k + 1 }));
      impressions += shown.length;
      const bought = rec.items[n % 4].itemId;
      const price = serving.world.catalog.find((i) => i.id === bought)!.price;
      const events = [
        { kind: 'impression', eventId: `i${n}`, shopperId: id, recommendationId: rec.recommendationId, items: shown, time },
        { kind: 'purchase', eventId: `p${n}`, shopperId: id, itemId: bought, value: price, currency: 'EUR', time },
      ];
      purchases.set(bought, (purchases.get(bought) ?? 0) + 1);
      if (n % 3 === 0) {
        const other = serving.world.catalog[n * 5];
        events.push({ kind: 'purchase', eventId: `o${n}`, shopperId: id, itemId: other.id, value: other.price, currency: 'EUR', time });
        purchases.set(other.id, (purchases.get(other.id) ?? 0) + 1);
      }
      expect((await serving.call('POST', '/v1/events', { events })).status).to.equal(200);
    }
    // Complaints and opt-outs on the same day.
    const complaints = [
      { shopperId: ids[0], itemId: served[0].rec.items[0].itemId, kind: 'never-show' },
      { shopperId: ids[1], itemId: served[1].rec.items[1].itemId, kind: 'not-relevant' },
      { itemId: served[2].rec.items[0].itemId, kind: 'never-show' },
    ];
    for (const c of complaints) expect((await serving.call('POST', '/v1/feedback', { ...c, modelVersion: 1 })).status).to.equal(200);
    for (const id of ids.slice(0, 3)) expect((await serving.call('PUT', `/v1/shoppers/${id}/preferences`, { consent: { choice: 'opted-out', noticeVersion: 'v1', source: 'test' } })).status).to.equal(200);

    m.clock.now = new Date('2026-12-11T12:00:00.000Z');
    const { status, body } = await serving.call('GET', '/v1/reports/fairness?from=2026-12-10&to=2026-12-10');
    expect(status, JSON.stringify(body)).to.equal(200);

    // By hand.
    const catalog: CatalogItem[] = await serving.store.listCatalog();
    const prices = catalog.map((i) => i.price).sort((a, b) => a - b);
    const [lowBelow, highFrom] = [prices[Math.floor(prices.length / 3)], prices[Math.floor((2 * prices.length) / 3)]];
    expect(body.priceBands).to.deep.equal({ lowBelow, highFrom });
    const groupOf = (item: CatalogItem, d: (typeof dimensions)[number]) =>
      d === 'category' ? item.category : d === 'brand' ? item.brand : d === 'newness' ? (item.novelty ? 'new' : 'established') : item.price < lowBelow ? 'low' : item.price >= highFrom ? 'high' : 'mid';
    const totalExposure = [...exposure.values()].reduce((a, b) => a + b, 0);
    const totalPurchases = [...purchases.values()].reduce((a, b) => a + b, 0);
    expect(body.exposure).to.be.closeTo(totalExposure, 1e-9);
    expect(body.purchases).to.equal(totalPurchases);
    expect(body.recommendations).to.equal(16 * 10);
    let largest = { gap: 0, dimension: '', group: '' };
    for (const d of dimensions) {
      const groups = new Map<string, { items: number; exposure: number; purchases: number }>();
      for (const item of catalog) {
        const g = groups.get(groupOf(item, d)) ?? { items: 0, exposure: 0, purchases: 0 };
        g.items++;
        g.exposure += exposure.get(item.id) ?? 0;
        g.purchases += purchases.get(item.id) ?? 0;
        groups.set(groupOf(item, d), g);
      }
      expect(body.dimensions[d].map((r: { group: string }) => r.group)).to.have.members([...groups.keys()]);
      for (const row of body.dimensions[d]) {
        const g = groups.get(row.group)!;
        const [es, ms] = [g.exposure / totalExposure, g.purchases / totalPurchases];
        expect(row).to.include({ items: g.items, purchases: g.purchases });
        expect(row.catalogueShare, `${d} ${row.group}`).to.be.closeTo(g.items / catalog.length, 1e-12);
        expect(row.exposureShare, `${d} ${row.group}`).to.be.closeTo(es, 1e-9);
        expect(row.meritShare).to.be.closeTo(ms, 1e-12);
        expect(row.gapToMerit).to.be.closeTo(es - ms, 1e-9);
        if (Math.abs(es - ms) > Math.abs(largest.gap)) largest = { gap: es - ms, dimension: d, group: row.group };
      }
    }
    expect(body.largestGap).to.include({ dimension: largest.dimension, group: largest.group, against: 'merit' });
    expect(body.largestGap.gap).to.be.closeTo(largest.gap, 1e-9);
    expect(body.segments, 'nothing serves in this scenario (test/measurement/segment-recall.test.ts covers a serving job)').to.deep.equal({ available: false, reason: 'no model version is serving' });

    // The scorecard of the same day.
    const card = await serving.call('GET', '/v1/reports/scorecard?from=2026-12-10&to=2026-12-10&format=md');
    expect(card.status, JSON.stringify(card.body)).to.equal(200);
    const c = card.body;
    expect(c.consent).to.include({ asked: 12, optInRate: 9 / 12, optOutRate: 3 / 12 });
    expect(c.consent.optInChange).to.be.closeTo(9 / 12 - 1, 1e-12);
    expect(c.consent.optOutChange).to.be.closeTo(3 / 12, 1e-12);
    expect(c.complaints).to.deep.equal({ complaints: 3, impressions, perThousandImpressions: (1000 * 3) / impressions });
    // never-show for good, not-relevant for 30 days: both in force; the anonymous one suppresses nothing.
    expect(c.suppressionList).to.deep.equal({ suppressions: 2, shoppers: 2 });
    expect(c.privacy).to.include({ servingVersion: null, lifetimeEpsilon: 0 });
    const uplift = (await serving.call('GET', '/v1/reports/uplift?from=2026-12-10&to=2026-12-10')).body;
    expect(c.uplift.groups).to.deep.equal(uplift.groups);
    if (!uplift.withheld) expect(c.uplift.revenuePerShopper).to.deep.include({ difference: uplift.difference.revenuePerShopper.difference });
    expect(c.largestFairnessGap).to.deep.equal(body.largestGap);
    expect(c.segmentRecall).to.deep.equal(body.segments);
    expect(c.markdown).to.include('| Recall@10 by shopper segment | n/a (no model version is serving) |');
    expect(c.auditChain).to.include({ ok: true, entries: (await serving.store.listAudit()).length });
    expect(c.markdown).to.include('| Opt-in rate | 75.0% (-25.0 pp over the period) |');
    expect(c.markdown).to.include(`| Complaint rate | ${((1000 * 3) / impressions).toFixed(2)} per 1,000 impressions (3 of ${impressions}) |`);
    expect(c.markdown).to.include(`${largest.dimension} "${largest.group}"`);
    expect(c.markdown).to.match(/\| Audit chain \| intact, \d+ entries/);
  });
});
