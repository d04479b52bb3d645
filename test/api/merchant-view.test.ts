import { expect } from 'chai';
import { conceptKindOf as kind, conceptKinds, reasonCodes, reasonConcept, reasonTemplates, type ReasonCode } from '../../explain/index.ts';
import { itemExplanationResponse } from '../../server/api/index.ts';
import { shopperSegment, shopperSegments } from '../../server/exposure/index.ts';
import { MemoryStore, type ExposureIncrement } from '../../server/store/index.ts';
import { historyOf, startServing, type Serving } from './serving-harness.ts';

/** Counts writes, to show the counters reach the store in batches, not one write per request. */
class CountingStore extends MemoryStore {
  writes = 0;
  override async addExposure(increments: ExposureIncrement[]): Promise<void> {
    this.writes++;
    return super.addExposure(increments);
  }
}

interface Tally {
  shown: number;
  top: Record<string, number>;
  sum: Record<string, number>;
  holdsBack: Record<string, number>;
}
const tally = (): Tally => ({ shown: 0, top: {}, sum: {}, holdsBack: {} });
const bump = (record: Record<string, number>, key: string, amount = 1) => (record[key] = (record[key] ?? 0) + amount);

describe('merchant view: GET /v1/items/:itemId/explanation', () => {
  const store = new CountingStore();
  let serving: Serving;
  const requests = 300;
  const tallies = new Map<string, Tally>();
  let item = '';

  // Requests on 2024-05-06; the merchant view is read on 2024-05-07, once that day is sealed. With σ = 0
  // the sealed values are the exact ones, so this suite checks the arithmetic (the noise: merchant-view-noise.test.ts).
  let now = new Date('2024-05-06T12:00:00Z');
  before(async () => {
    // The timer flush is set far out, so a slow machine (requests spread over more than the default
    // 10 s window) cannot turn batching into many writes; reads flush what is pending.
    serving = await startServing({ store, minCohort: 20, clock: () => now, sealNoiseStd: 0, api: { exposureOptions: { flushMs: 3_600_000 } } });
    const { world } = serving;
    for (let n = 0; n < requests; n++) {
      // A few non-personalised requests make one segment's cohort small.
      const personalization = n % 50 !== 7;
      const history = historyOf(world, n, n % 9);
      const storeId = world.stores[n % 2].id;
      const { body } = await serving.call('POST', '/v1/recommendations', { history, context: { storeId }, personalization, k: 10 });
      const segment = shopperSegment(body.personalized, body.historyRead);
      for (const recommended of body.items) {
        for (const key of [`${recommended.itemId}|all|all`, `${recommended.itemId}|${segment}|all`, `${recommended.itemId}|all|${storeId}`]) {
          const t = tallies.get(key) ?? tally();
          tallies.set(key, t);
          t.shown++;
          const a = recommended.attributions;
          // Per item, each kind's attribution sum is counted clipped to ±1 (the bound on one request's counters).
          const perKind: Record<string, number> = {};
          for (const x of a) bump(perKind, kind(x.concept), x.contribution);
          for (const [k, v] of Object.entries(perKind)) bump(t.sum, k, Math.max(-1, Math.min(1, v)));
          if (a[0]?.contribution > 0) bump(t.top, a[0].code);
          if (a[a.length - 1]?.contribution < 0) bump(t.holdsBack, a[a.length - 1].code);
        }
      }
    }
    now = new Date('2024-05-07T08:00:00Z');
    item = [...tallies].filter(([key]) => key.endsWith('|all|all')).sort(([, a], [, b]) => b.shown - a.shown)[0][0].split('|')[0];
  });
  after(() => serving.close());

  /** The tallied reasons (by code) as the report lists them: most often first, ties in code order. */
  const shares = (counts: Record<string, number>, shown: number) =>
    reasonCodes
      .filter((code) => counts[code])
      .map((code: ReasonCode) => ({ code, concept: reasonConcept[code], share: counts[code] / shown, phrase: reasonTemplates[code].merchant }))
      .sort((a, b) => b.share - a.share || reasonCodes.indexOf(a.code) - reasonCodes.indexOf(b.code));

  const expectMatches = (breakdown: any, t: Tally) => {
    expect(breakdown.withheld).to.equal(false);
    expect(breakdown.recommended).to.equal(t.shown);
    expect(breakdown.explained).to.equal(t.shown);
    const perConcept = (counts: Record<string, number>, k: string) => Object.entries(counts).reduce((sum, [code, n]) => sum + (reasonConcept[code as ReasonCode] === k ? n : 0), 0);
    for (const k of conceptKinds) {
      expect(breakdown.topReasonShare[k] ?? 0, `top-reason share of ${k}`).to.be.closeTo(perConcept(t.top, k) / t.shown, 1e-12);
      expect(breakdown.holdsBackShare[k] ?? 0, `holds-back share of ${k}`).to.be.closeTo(perConcept(t.holdsBack, k) / t.shown, 1e-12);
      expect(breakdown.meanAttribution[k] ?? 0, `mean attribution of ${k}`).to.be.closeTo((t.sum[k] ?? 0) / t.shown, 1e-9);
    }
    expect(breakdown.topReasons).to.deep.equal(shares(t.top, t.shown));
    expect(breakdown.heldBackBy).to.deep.equal(shares(t.holdsBack, t.shown));
    const worst = shares(t.holdsBack, t.shown)[0];
    expect(breakdown.mostlyHeldBackBy).to.deep.equal(worst ? { ...worst, sentence: `Held back by: ${worst.phrase}.` } : null);
  };

  it('reports what the served responses said, overall and per segment, withholding small cohorts', async () => {
    const { status, body } = await serving.call('GET', `/v1/items/${item}/explanation`);
    expect(status).to.equal(200);
    itemExplanationResponse.parse(body);
    expect(body.minCohort).to.equal(20);
    expectMatches(body.overall, tallies.get(`${item}|all|all`)!);
    let withheld = 0;
    let shownTotal = 0;
    const complement: { segment: string; shown: number }[] = [];
    for (const segment of shopperSegments) {
      const t = tallies.get(`${item}|${segment}|all`) ?? tally();
      if (t.shown < 20) {
        withheld++;
        expect(body.segments[segment]).to.deep.equal({ withheld: true, reason: 'fewer than 20 recommendations in this cohort' });
      } else if (body.segments[segment].withheld) complement.push({ segment, shown: t.shown });
      else {
        expectMatches(body.segments[segment], t);
        shownTotal += t.shown;
      }
    }
    expect(withheld, 'the non-personalised cohort is small').to.be.at.least(1);
    expect(body.segments['non-personalized'].withheld).to.equal(true);
    // The overall minus the segments shown must not be a small cohort: here the small one is hidden
    // together with the smallest of the large ones, and nothing more.
    const hidden = body.overall.recommended - shownTotal;
    expect(hidden === 0 || hidden >= 20, `hidden cohort of ${hidden}`).to.equal(true);
    expect(complement).to.have.length(1);
    expect(body.segments[complement[0].segment].reason).to.match(/could otherwise be derived/);
    const largeShown = shopperSegments.map((s) => tallies.get(`${item}|${s}|all`)?.shown ?? 0).filter((n) => n >= 20);
    expect(complement[0].shown).to.equal(Math.min(...largeShown));
  });

  it('says in words what most often holds the item back', async () => {
    const { body } = await serving.call('GET', `/v1/items/${item}/explanation`);
    const { mostlyHeldBackBy, heldBackBy } = body.overall;
    expect(heldBackBy.length, 'some recommendations of the item had a negative attribution').to.be.at.least(1);
    expect(mostlyHeldBackBy.sentence).to.match(/^Held back by: [a-z][^0-9]+\.$/);
    expect(mostlyHeldBackBy.share).to.be.at.least(heldBackBy[heldBackBy.length - 1].share);
  });

  it('filters by store, segment and day range', async () => {
    const storeId = serving.world.stores[1].id;
    const byStore = await serving.call('GET', `/v1/items/${item}/explanation?store=${storeId}`);
    expectMatches(byStore.body.overall, tallies.get(`${item}|all|${storeId}`)!);
    const bySegment = await serving.call('GET', `/v1/items/${item}/explanation?segment=regular&from=2024-05-01&to=2024-05-06`);
    expect(bySegment.body.segments).to.equal(undefined);
    expectMatches(bySegment.body.overall, tallies.get(`${item}|regular|all`)!);
    const later = await serving.call('GET', `/v1/items/${item}/explanation?from=2024-05-07`);
    expect(later.body.overall).to.deep.equal({ withheld: true, reason: 'fewer than 20 recommendations in this cohort' });
  });

  it('counters reach the store in batches, not one write per request', () => {
    expect(store.writes).to.be.at.least(1);
    expect(store.writes).to.be.below(requests / 10);
  });

  it('an item nobody knows is a 404', async () => {
    expect((await serving.call('GET', '/v1/items/nope/explanation')).status).to.equal(404);
  });
});
