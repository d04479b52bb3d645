import { expect } from 'chai';
import { recommendationResponse } from '../../server/api/index.ts';
import { parameterView } from '../../models/weights/model-weights.ts';
import { contextOf, expectBruteForceAgreement, expectEfficient } from './attribution-checks.ts';
import { historyOf, startServing, strangerItem, type Serving } from './serving-harness.ts';

describe('POST /v1/recommendations', () => {
  let serving: Serving;
  before(async () => {
    serving = await startServing();
  });
  after(() => serving.close());

  const recommendations = (body: Record<string, unknown>) => serving.call('POST', '/v1/recommendations', body);
  const weights = () => serving.servedModel.require().weights;

  it('answers the documented shape, with exact attributions and a reason on every item', async () => {
    const history = historyOf(serving.world, 0);
    const storeId = serving.world.stores[1].id;
    const { status, body } = await recommendations({ history, context: { storeId }, personalization: true, k: 10 });
    expect(status).to.equal(200);
    recommendationResponse.strict().parse(body);
    expect(body).to.include({ modelVersion: 1, personalized: true });
    expect(body.store).to.deep.equal({ id: storeId, known: true });
    expect(body.items).to.have.length(10);
    expect(body.items.map((i: { rank: number }) => i.rank)).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const scores = body.items.map((i: { score: number }) => i.score);
    expect(scores).to.deep.equal([...scores].sort((a, b) => b - a));
    for (const item of body.items) {
      expect(item.method).to.equal('exact-shapley');
      expect(item.name).to.equal(serving.world.catalog.find((c) => c.id === item.itemId)!.name);
      expect(item.reason).to.match(/^[A-Z].*\.$/);
      for (const a of item.attributions) expect(a.phrase).to.be.a('string').and.not.equal('');
    }
    expect(body.items.some((i: { attributions: { concept: string }[] }) => i.attributions.some((a) => a.concept.startsWith('purchase:')))).to.equal(true);
  });

  it('efficiency on every item of every response: score = baseline + Σ contributions = v(all)', async () => {
    const scorer = serving.scorerFor(weights());
    const checkedBefore = serving.checkedItems();
    let served = 0;
    for (let shopper = 0; shopper < 30; shopper++) {
      const history = historyOf(serving.world, shopper, 3 + (shopper % 15));
      const storeId = serving.world.stores[shopper % 4].id;
      const personalization = shopper % 5 !== 0;
      const { body } = await recommendations({ history, context: { storeId }, personalization, k: 20 });
      const context = contextOf(serving.world, personalization ? history : [], storeId);
      for (const item of body.items) expectEfficient(item, serving.world, scorer, context);
      served += body.items.length;
    }
    // The harness checks score = baseline + Σ contributions on every response of every test, too.
    expect(serving.checkedItems() - checkedBefore).to.equal(served);
  });

  it('agrees with brute-force Shapley enumeration, purchase by purchase and for merged purchases', async () => {
    const scorer = serving.scorerFor(weights());
    const storeId = serving.world.stores[2].id;
    const repeated = historyOf(serving.world, 7, 6);
    repeated.push(repeated[0]); // a repeat purchase: merged into one concept
    const long = serving.world.catalog.slice(40, 50).map(({ id }) => ({ itemId: id })); // 10 purchases: some merged as other-purchases
    for (const [history, k] of [[repeated, 6], [long, 3]] as const) {
      const { body } = await recommendations({ history, context: { storeId }, personalization: true, k });
      for (const item of body.items) expectBruteForceAgreement(item, serving.world, scorer, weights(), contextOf(serving.world, history, storeId));
      if (history === long) expect(body.items.every((i: { attributions: { concept: string }[] }) => i.attributions.some((a) => a.concept === 'other-purchases'))).to.equal(true);
    }
  });

  it('without consent: ignores the history entirely, ranks by the store, and says so', async () => {
    const storeId = serving.world.stores[0].id;
    const { body } = await recommendations({ history: historyOf(serving.world, 3), context: { storeId }, personalization: false, k: 10 });
    const { body: anonymous } = await recommendations({ history: [], context: { storeId }, personalization: false, k: 10 });
    expect(body.personalized).to.equal(false);
    expect(body.historyRead).to.equal(0);
    expect(body.items).to.deep.equal(anonymous.items);
    for (const item of body.items) {
      expect(item.reason).to.match(/^Not personalised, as you have not opted in/);
      for (const concept of item.reasonConcepts) expect(concept).to.be.oneOf(['promotion', 'novelty', 'store-popularity']);
      for (const a of item.attributions) expect(a.concept).to.be.oneOf(['promotion', 'novelty', 'store-popularity']);
    }
  });

  it('exclusions: neither the excluded items nor anything in an excluded category', async () => {
    const storeId = serving.world.stores[0].id;
    const first = await recommendations({ history: historyOf(serving.world, 4), context: { storeId }, personalization: true, k: 10 });
    const exclude = first.body.items.slice(0, 3).map((i: { itemId: string }) => i.itemId);
    const excludeCategories = [first.body.items[5].category];
    const { body } = await recommendations({ history: historyOf(serving.world, 4), context: { storeId }, personalization: true, k: 30, exclude, excludeCategories });
    expect(body.items).to.have.length(30);
    for (const item of body.items) {
      expect(exclude).to.not.include(item.itemId);
      expect(excludeCategories).to.not.include(item.category);
    }
  });

  it('unknown ids in the history are ignored and reported; an unknown store is reported and left out', async () => {
    const history = [{ itemId: 'no-such-item' }, ...historyOf(serving.world, 5, 4), { itemId: strangerItem.id }, { itemId: 'no-such-item' }];
    const { status, body } = await recommendations({ history, context: { storeId: 'store-on-the-moon' }, personalization: true, k: 5 });
    expect(status).to.equal(200);
    expect(body.ignoredHistory).to.deep.equal(['no-such-item', strangerItem.id]);
    expect(body.historyRead).to.equal(4);
    expect(body.store).to.deep.equal({ id: 'store-on-the-moon', known: false });
    for (const item of body.items) {
      expect(item.attributions.map((a: { concept: string }) => a.concept)).to.not.include('store-popularity');
      expectEfficient(item, serving.world, serving.scorerFor(weights()), contextOf(serving.world, history, 'store-on-the-moon'));
    }
  });

  it('never recommends a catalogue item the model cannot score; explain: false gives scores only', async () => {
    const { body } = await recommendations({ history: [], context: { storeId: serving.world.stores[0].id }, personalization: true, k: 100, explain: false });
    expect(body.items).to.have.length(100);
    expect(body.items.map((i: { itemId: string }) => i.itemId)).to.not.include(strangerItem.id);
    expect(body.items[0]).to.have.all.keys('rank', 'itemId', 'name', 'category', 'price', 'score');
  });

  it('sentence grammar for 0, 1, 2 and 3 clauses, naming at most two past purchases from the request', async () => {
    const seen = new Set<number>();
    const { world } = serving;
    for (let shopper = 0; shopper < 40 && seen.size < 4; shopper++) {
      const history = shopper % 4 === 0 ? [] : historyOf(world, shopper, 1 + (shopper % 9));
      const storeId = shopper % 3 === 0 ? 'unknown-store' : world.stores[shopper % 4].id;
      const { body } = await recommendations({ history, context: { storeId }, personalization: true, k: 25 });
      const names = new Set(history.map(({ itemId }) => world.catalog.find((c) => c.id === itemId)!.name));
      for (const item of body.items) {
        // The sentence's reasons are the attributions its concepts name (each concept once, in sentence order).
        const reasons = item.reasonConcepts.map((concept: string) => item.attributions.find((a: { concept: string }) => a.concept === concept));
        expect(reasons.every(Boolean), 'every reason concept is an attribution').to.equal(true);
        expect(new Set(item.reasonConcepts).size).to.equal(item.reasonConcepts.length);
        const clauses = new Set(reasons.map((r: { code: string }) => (r.code === 'bought-with' ? 'purchases' : r.code))).size;
        seen.add(clauses);
        const named = reasons.filter((r: { code: string }) => r.code === 'bought-with');
        expect(named.length).to.be.at.most(2);
        for (const r of named) expect(names.has(r.params.name), `${r.params.name} is from the request's history`).to.equal(true);
        const sentence: string = item.reason;
        if (clauses === 0) expect(sentence).to.equal('A popular choice across our stores.');
        if (clauses === 1) expect(sentence).to.match(/^Because [^,]+\.$/);
        if (clauses === 2) expect(sentence).to.match(/^Because [^,]+, and [^,]+\.$/);
        if (clauses === 3) expect(sentence).to.match(/^Because [^,]+, [^,]+, and [^,]+\.$/);
        const withoutNames = named.reduce((text: string, r: { params: { name: string } }) => text.replace(r.params.name, ''), sentence);
        expect(withoutNames).to.not.match(/\d/, 'no counts in the sentence');
      }
    }
    expect([...seen].sort()).to.deep.equal([0, 1, 2, 3]);
  });

  it('a catalogue update reaches the next request (promotion flag flipped)', async () => {
    const storeId = serving.world.stores[0].id;
    const { body: before } = await recommendations({ history: [], context: { storeId }, personalization: true, k: 10 });
    const promotion = parameterView(weights(), 'promotion')[0];
    expect(promotion).to.be.greaterThan(0);
    // Switching a promotion on raises the item's score by the promotion weight and no other item's,
    // so it stays in the top 10 and the new score can always be checked.
    const ranked = before.items.map((i: { itemId: string; score: number }) => ({ ...i, item: serving.world.catalog.find((c) => c.id === i.itemId)! }));
    const flipped = ranked.filter((r: { item: { promotion: boolean } }) => !r.item.promotion).at(-1);
    expect(flipped, 'an item without a promotion in the top 10').to.not.equal(undefined);
    const put = await serving.call('PUT', '/v1/catalog', { items: [{ ...flipped.item, promotion: true }] });
    expect(put.status).to.equal(200);
    const { body: after } = await recommendations({ history: [], context: { storeId }, personalization: true, k: 10 });
    const moved = after.items.find((i: { itemId: string }) => i.itemId === flipped.itemId);
    expect(moved, 'the promoted item is still in the top 10').to.not.equal(undefined);
    expect(Math.abs(moved.score - (flipped.score + promotion))).to.be.lessThan(1e-6);
    await serving.call('PUT', '/v1/catalog', { items: [flipped.item] });
    const { body: restored } = await recommendations({ history: [], context: { storeId }, personalization: true, k: 10 });
    expect(restored.items.map((i: { itemId: string; score: number }) => [i.itemId, i.score])).to.deep.equal(before.items.map((i: { itemId: string; score: number }) => [i.itemId, i.score]));
  });
});
