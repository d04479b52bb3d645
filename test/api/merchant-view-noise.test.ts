import { expect } from 'chai';
import { exposureKeys, requestSensitivity } from '../../server/exposure/index.ts';
import { SeededRandomSource } from '../../server/privacy/index.ts';
import { MemoryStore } from '../../server/store/index.ts';
import { historyOf, startServing, type Serving } from './serving-harness.ts';

/**
 * The merchant view reads sealed days only, each counter noised once with σ = 20 (the default):
 * today is not shown, the noise is what the seal documents, and differencing two queries (all
 * stores against one) yields the noised total of the rest, never the exact count.
 */
describe('merchant view: sealed, noised days', function () {
  this.timeout(60_000);
  const sigma = 20;
  const store = new MemoryStore();
  let serving: Serving;
  let now = new Date('2024-05-06T10:00:00Z');
  const day = '2024-05-06';
  let target = '';
  let storeA = '';
  let storeB = '';

  before(async () => {
    serving = await startServing({ store, minCohort: 20, clock: () => now, sealNoiseStd: sigma, random: new SeededRandomSource('merchant-seal') });
    storeA = serving.world.stores[0].id;
    storeB = serving.world.stores[1].id;
    const shownAtA = new Map<string, number>();
    for (let n = 0; n < 200; n++) {
      const { body } = await serving.call('POST', '/v1/recommendations', { history: historyOf(serving.world, n, 6), context: { storeId: storeA }, personalization: true, k: 10 });
      for (const item of body.items) shownAtA.set(item.itemId, (shownAtA.get(item.itemId) ?? 0) + 1);
    }
    // One lone request at store B: the cohort a differencing attack would single out.
    const { body } = await serving.call('POST', '/v1/recommendations', { history: historyOf(serving.world, 250, 6), context: { storeId: storeB }, personalization: true, k: 10 });
    target = (body.items as { itemId: string }[]).map((i) => i.itemId).sort((a, b) => (shownAtA.get(b) ?? 0) - (shownAtA.get(a) ?? 0))[0];
    expect(shownAtA.get(target) ?? 0, 'the target item is popular at store A').to.be.at.least(60);
  });
  after(() => serving.close());

  it('does not show the current, unsealed day', async () => {
    const { body } = await serving.call('GET', `/v1/items/${target}/explanation`);
    expect(body.overall).to.deep.equal({ withheld: true, reason: 'fewer than 20 recommendations in this cohort' });
    expect(await store.unsealedExposureDays('2024-05-07')).to.deep.equal([day]);
  });

  it('seals the day once the day is over, with noise of the documented σ on every counter', async () => {
    now = new Date('2024-05-07T00:00:05Z');
    await serving.call('GET', `/v1/items/${target}/explanation`);
    expect(await store.unsealedExposureDays('2024-05-08')).to.deep.equal([]);
    const noise: number[] = [];
    for (const cell of await store.listExposureDay(day)) {
      if (cell.key !== exposureKeys.shown) continue;
      const sealed = await store.readSealedExposure({ itemId: cell.itemId, storeId: cell.storeId, segment: cell.segment, fromDay: day, toDay: day });
      noise.push(sealed.shown - cell.amount);
    }
    const n = noise.length;
    const mean = noise.reduce((a, b) => a + b, 0) / n;
    const std = Math.sqrt(noise.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
    expect(n, 'enough sealed cells for a 5-SE band under 25%').to.be.above(100);
    expect(Math.abs(mean), `mean noise over ${n} cells`).to.be.below((5 * sigma) / Math.sqrt(n));
    expect(Math.abs(std - sigma), `std ${std} over ${n} cells`).to.be.below((5 * sigma) / Math.sqrt(2 * n));
  });

  it('gives a differencing pair (all stores − store A) no more than the noised total of store B, and the same on every repeat', async () => {
    const all = (await serving.call('GET', `/v1/items/${target}/explanation`)).body.overall;
    const atA = (await serving.call('GET', `/v1/items/${target}/explanation?store=${storeA}`)).body.overall;
    expect(all.withheld).to.equal(false);
    expect(atA.withheld).to.equal(false);
    const difference = all.recommended - atA.recommended;
    const noisedB = (await store.readSealedExposure({ itemId: target, storeId: storeB })).shown;
    const exactB = (await store.readExposure({ itemId: target, storeId: storeB })).shown;
    expect(exactB).to.equal(1);
    // What the pair reveals is store B's sealed (noised) count, up to the rounding of the two figures.
    expect(Math.abs(difference - noisedB)).to.be.at.most(1);
    expect(difference, 'with this seed the noise is not 0').to.not.equal(exactB);
    // Repeating the queries draws nothing new.
    for (let repeat = 0; repeat < 3; repeat++) {
      expect((await serving.call('GET', `/v1/items/${target}/explanation`)).body.overall).to.deep.equal(all);
      expect((await serving.call('GET', `/v1/items/${target}/explanation?store=${storeA}`)).body.overall).to.deep.equal(atA);
    }
  });
});

describe('merchant view: what one request can add', () => {
  it('counts at most 10 items and clips each concept kind’s attribution to ±1, so its L2 sensitivity is at most √(110 + Σ position weights²) (five unit counters, six attribution sums per item, the rank’s exposure weight)', async () => {
    const store = new MemoryStore();
    const serving = await startServing({ store, clock: () => new Date('2024-05-06T10:00:00Z') });
    try {
      const { body } = await serving.call('POST', '/v1/recommendations', { history: historyOf(serving.world, 3, 8), context: { storeId: serving.world.stores[0].id }, personalization: true, k: 40 });
      expect(body.items).to.have.length(40);
      await serving.api.exposure.flush();
      const counters = await store.listExposureDay('2024-05-06');
      expect(new Set(counters.map((c) => c.itemId)).size).to.equal(10);
      expect(counters.filter((c) => c.key === exposureKeys.shown).length).to.equal(10);
      for (const c of counters) expect(Math.abs(c.amount), c.key).to.be.at.most(1);
      const norm = Math.sqrt(counters.reduce((sum, c) => sum + c.amount ** 2, 0));
      expect(norm).to.be.at.most(requestSensitivity);
      // 110 from the merchant view's counters, + Σ (1/log2(r + 1))² over ranks 1–10 from the fairness report's position weights.
      expect(requestSensitivity).to.be.closeTo(Math.sqrt(110 + [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].reduce((sum, r) => sum + 1 / Math.log2(r + 1) ** 2, 0)), 1e-12);
      expect(counters.filter((c) => c.key === exposureKeys.shownByVersion(1)).length, 'the version’s denominator, once per item').to.equal(10);
    } finally {
      await serving.close();
    }
  });
});
