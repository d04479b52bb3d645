/**
 * Contract: measurement records. A holdout assignment is written once (the first wins), issued
 * recommendations and events are idempotent by id, events filter by time and kind in time order,
 * the purge removes only what is older than its cut, and erasure and re-keying reach every row.
 */
import { expect } from 'chai';
import type { FedrecStore } from '../fedrec-store.ts';
import type { OutcomeEvent } from '../measurement-records.ts';
import { expectFedrecError } from './store-fixtures.ts';

const alice = 'a'.repeat(64);
const bob = 'b'.repeat(64);
const event = (overrides: Partial<OutcomeEvent> = {}): OutcomeEvent => ({
  eventId: 'e1', pseudonym: alice, kind: 'impression', recommendationId: 'r1', itemId: 'i1', position: 1, value: null, currency: null, modelVersion: 1, group: 'treatment', at: '2026-12-01T10:00:00.000Z', ...overrides,
});
const audit = (action: string) => ({ actor: 'system', action, target: 'shopper', details: {} });

export function describeMeasurementContract(store: () => FedrecStore): void {
  describe('measurement', () => {
    it('keeps the first holdout assignment of a shopper, whatever is assigned later', async () => {
      const first = await store().assignHoldout({ pseudonym: alice, group: 'holdout', share: 0.05, assignedAt: '2026-12-01T10:00:00.000Z' });
      const again = await store().assignHoldout({ pseudonym: alice, group: 'treatment', share: 0.5, assignedAt: '2026-12-02T10:00:00.000Z' });
      expect(again).to.deep.equal(first);
      expect(await store().getHoldoutAssignment(alice)).to.deep.equal({ pseudonym: alice, group: 'holdout', share: 0.05, assignedAt: '2026-12-01T10:00:00.000Z' });
      expect(await store().getHoldoutAssignment(bob)).to.equal(undefined);
      await expectFedrecError(store().assignHoldout({ pseudonym: 'shopper-1', group: 'holdout', share: 0.05, assignedAt: '2026-12-01T10:00:00.000Z' }), 'invalid-input', /pseudonym/);
      await expectFedrecError(store().assignHoldout({ pseudonym: bob, group: 'holdout', share: 2, assignedAt: '2026-12-01T10:00:00.000Z' }), 'invalid-input');
    });

    it('stores issued recommendations once by id, and finds only known ids', async () => {
      const r = { id: 'r1', pseudonym: alice, group: 'treatment' as const, modelVersion: 3, items: ['i1', 'i2'], issuedAt: '2026-12-01T10:00:00.000Z' };
      await store().addIssuedRecommendations([r, { ...r, id: 'r2', modelVersion: null }]);
      await store().addIssuedRecommendations([{ ...r, items: ['i9'] }]);
      expect(await store().getIssuedRecommendations(['r1', 'nope', 'r2'])).to.deep.equal([r, { ...r, id: 'r2', modelVersion: null }]);
    });

    it('adds events idempotently, lists them by time and kind, and refuses a bad one with nothing written', async () => {
      expect(await store().addOutcomeEvents([event(), event({ itemId: 'i2', position: 2 }), event({ eventId: 'p1', kind: 'purchase', recommendationId: null, position: null, value: 9.5, currency: 'EUR', at: '2026-12-01T09:00:00.000Z' })])).to.deep.equal({ added: 3, duplicates: 0, duplicateIndexes: [] });
      expect(await store().addOutcomeEvents([event(), event({ eventId: 'c1', kind: 'click', position: null })])).to.deep.equal({ added: 1, duplicates: 1, duplicateIndexes: [0] });
      await expectFedrecError(store().addOutcomeEvents([event({ eventId: 'x' }), event({ eventId: 'y', value: -1 })]), 'invalid-input');
      const all = await store().listOutcomeEvents();
      expect(all.map((e) => e.eventId)).to.deep.equal(['p1', 'e1', 'e1', 'c1']);
      expect((await store().listOutcomeEvents({ kind: 'purchase' }))[0]).to.deep.equal(event({ eventId: 'p1', kind: 'purchase', recommendationId: null, position: null, value: 9.5, currency: 'EUR', at: '2026-12-01T09:00:00.000Z' }));
      expect(await store().listOutcomeEvents({ from: '2026-12-01T09:30:00.000Z', to: '2026-12-01T10:00:00.000Z', kind: 'click' })).to.have.length(1);
    });

    it('purges events and recommendations older than the cut, and nothing newer', async () => {
      await store().addIssuedRecommendations([{ id: 'old', pseudonym: alice, group: 'treatment', modelVersion: 1, items: ['i1'], issuedAt: '2026-08-01T10:00:00.000Z' }, { id: 'new', pseudonym: alice, group: 'treatment', modelVersion: 1, items: ['i1'], issuedAt: '2026-12-01T10:00:00.000Z' }]);
      await store().addOutcomeEvents([event({ at: '2026-08-01T10:00:00.000Z' }), event({ eventId: 'e2' })]);
      expect(await store().purgeMeasurement('2026-09-01T00:00:00.000Z')).to.deep.equal({ events: 1, recommendations: 1 });
      expect((await store().listOutcomeEvents()).map((e) => e.eventId)).to.deep.equal(['e2']);
      expect((await store().getIssuedRecommendations(['old', 'new'])).map((r) => r.id)).to.deep.equal(['new']);
      // A purged event's id is free again (it is no longer held).
      expect(await store().addOutcomeEvents([event({ at: '2026-12-01T11:00:00.000Z' })])).to.deep.equal({ added: 1, duplicates: 0, duplicateIndexes: [] });
    });

    it('lists consent changes in time order', async () => {
      const consent = (choice: 'opted-in' | 'opted-out', time: string) => ({ consent: { purpose: 'personalisation' as const, choice, time, noticeVersion: 'v1', source: 'app' }, doNotTarget: false, excludedCategories: [], excludedBrands: [] });
      await store().putShopperPreferences(alice, consent('opted-in', '2026-12-01T10:00:00.000Z'));
      await store().putShopperPreferences(bob, consent('opted-in', '2026-12-01T09:00:00.000Z'));
      await store().putShopperPreferences(alice, consent('opted-out', '2026-12-02T10:00:00.000Z'));
      expect(await store().listConsentChanges()).to.deep.equal([
        { pseudonym: bob, choice: 'opted-in', time: '2026-12-01T09:00:00.000Z' },
        { pseudonym: alice, choice: 'opted-in', time: '2026-12-01T10:00:00.000Z' },
        { pseudonym: alice, choice: 'opted-out', time: '2026-12-02T10:00:00.000Z' },
      ]);
      expect(await store().listConsentChanges({ from: '2026-12-02T00:00:00.000Z' })).to.have.length(1);
    });

    it('lists feedback of every shopper in a time range, and counts suppressions in force', async () => {
      const feedback = { itemId: 'i1', modelVersion: 1, recommendationId: null, kind: 'never-show' as const, rating: null };
      await store().addShopperFeedback(alice, feedback, { itemId: 'i1', reason: 'never-show', until: null });
      await store().addShopperFeedback(null, { ...feedback, kind: 'not-relevant' });
      await store().addShopperFeedback(bob, { ...feedback, itemId: 'i2', kind: 'not-relevant' }, { itemId: 'i2', reason: 'not-relevant', until: '2000-01-01T00:00:00.000Z' });
      const all = await store().listFeedbackBetween();
      expect(all.map((f) => [f.pseudonym, f.kind])).to.have.deep.members([[alice, 'never-show'], [null, 'not-relevant'], [bob, 'not-relevant']]);
      expect(await store().listFeedbackBetween({ to: '2000-01-01T00:00:00.000Z' })).to.deep.equal([]);
      expect(await store().countSuppressions(new Date().toISOString())).to.deep.equal({ suppressions: 1, shoppers: 1 });
    });

    it('erasure and re-keying reach every measurement row', async () => {
      await store().assignHoldout({ pseudonym: alice, group: 'holdout', share: 0.05, assignedAt: '2026-12-01T10:00:00.000Z' });
      await store().assignHoldout({ pseudonym: bob, group: 'treatment', share: 0.05, assignedAt: '2026-12-01T10:00:00.000Z' });
      await store().addIssuedRecommendations([{ id: 'r1', pseudonym: alice, group: 'holdout', modelVersion: 1, items: ['i1'], issuedAt: '2026-12-01T10:00:00.000Z' }]);
      await store().addOutcomeEvents([event(), event({ eventId: 'e2' }), event({ pseudonym: bob })]);
      const counts = await store().eraseShopper(alice, () => audit('shopper.erased'));
      expect(counts).to.deep.include({ experimentAssignments: 1, issuedRecommendations: 1, outcomeEvents: 2 });
      expect(await store().getHoldoutAssignment(alice)).to.equal(undefined);
      expect(await store().getIssuedRecommendations(['r1'])).to.deep.equal([]);
      expect((await store().listOutcomeEvents()).map((e) => e.pseudonym)).to.deep.equal([bob]);
      const carol = 'c'.repeat(64);
      expect(await store().rekeyShoppers((p) => (p === bob ? carol : 'd'.repeat(64)), () => audit('shopper.rekeyed'))).to.equal(1);
      expect((await store().getHoldoutAssignment(carol))?.group).to.equal('treatment');
      expect((await store().listOutcomeEvents()).map((e) => e.pseudonym)).to.deep.equal([carol]);
    });
  });
}
