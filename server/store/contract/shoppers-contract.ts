/**
 * Contract: shopper records. Rows are keyed by pseudonym only (a raw id is refused), a consent
 * change appends to the history and the audit log together, erasure removes everything of one
 * pseudonym and nothing of another, and re-keying moves every row.
 */
import { expect } from 'chai';
import type { FedrecStore } from '../fedrec-store.ts';
import type { ConsentRecord } from '../shopper-records.ts';
import { expectFedrecError } from './store-fixtures.ts';

const alice = 'a'.repeat(64);
const bob = 'b'.repeat(64);
const consent = (choice: ConsentRecord['choice'], time = '2026-12-01T10:00:00.000Z'): ConsentRecord => ({ purpose: 'personalisation', choice, time, noticeVersion: 'v1', source: 'app-settings' });
const preferences = (choice: ConsentRecord['choice'] | null) => ({ consent: choice && consent(choice), doNotTarget: false, excludedCategories: ['Dairy'], excludedBrands: [] });
const audit = (action: string) => ({ actor: 'system', action, target: 'shopper', details: {} });
const feedback = { itemId: 'i1', modelVersion: 1, recommendationId: null, kind: 'never-show' as const, rating: null };

export function describeShoppersContract(store: () => FedrecStore): void {
  describe('shoppers', () => {
    it('refuses anything but a pseudonym as the key', async () => {
      await expectFedrecError(store().getShopperPreferences('shopper-42'), 'invalid-input', /pseudonym/);
      await expectFedrecError(store().putShopperPreferences('shopper-42', preferences('opted-in')), 'invalid-input', /pseudonym/);
    });

    it('keeps the preferences, and appends a consent record with its audit entry only when consent changes', async () => {
      expect(await store().getShopperPreferences(alice)).to.equal(undefined);
      await store().putShopperPreferences(alice, preferences('opted-in'), audit('shopper.consent-changed'));
      await store().putShopperPreferences(alice, { ...preferences('opted-in'), excludedBrands: ['Acme'] }, audit('shopper.consent-changed'));
      const stored = await store().putShopperPreferences(alice, { ...preferences('opted-out'), excludedBrands: ['Acme'] }, audit('shopper.consent-changed'));
      expect(stored).to.deep.include({ consent: consent('opted-out'), excludedBrands: ['Acme'], excludedCategories: ['Dairy'], doNotTarget: false });
      expect((await store().listConsentHistory(alice)).map((r) => r.choice)).to.deep.equal(['opted-in', 'opted-out']);
      expect((await store().listAudit({ action: 'shopper.consent-changed' })).length).to.equal(2);
    });

    it('stores feedback with its suppression; anonymous feedback has no suppression', async () => {
      await store().addShopperFeedback(alice, feedback, { itemId: 'i1', reason: 'never-show', until: null });
      await store().addShopperFeedback(alice, { ...feedback, kind: 'rating', rating: 4 });
      await store().addShopperFeedback(null, feedback);
      expect((await store().listShopperFeedback(alice)).map((f) => [f.kind, f.rating])).to.deep.equal([['never-show', null], ['rating', 4]]);
      expect(await store().listSuppressions(alice)).to.have.length(1);
      await expectFedrecError(store().addShopperFeedback(alice, { ...feedback, rating: 9 }), 'invalid-input');
    });

    it('erases every record of one pseudonym, counted by kind, with one audit entry, and leaves the others', async () => {
      await store().putShopperPreferences(alice, preferences('opted-in'), audit('shopper.consent-changed'));
      await store().addShopperFeedback(alice, feedback, { itemId: 'i1', reason: 'never-show', until: null });
      await store().putShopperPreferences(bob, preferences('opted-in'));
      const counts = await store().eraseShopper(alice, (c) => ({ ...audit('shopper.erased'), details: { records: c.preferences + c.consentRecords + c.suppressions + c.feedback } }));
      expect(counts).to.deep.equal({ preferences: 1, consentRecords: 1, suppressions: 1, feedback: 1, experimentAssignments: 0, issuedRecommendations: 0, outcomeEvents: 0 });
      expect(await store().getShopperPreferences(alice)).to.equal(undefined);
      expect(await store().listConsentHistory(alice)).to.deep.equal([]);
      expect(await store().listShopperFeedback(alice)).to.deep.equal([]);
      expect(await store().listSuppressions(alice)).to.deep.equal([]);
      expect(await store().getShopperPreferences(bob)).to.not.equal(undefined);
      expect((await store().listAudit({ action: 'shopper.erased' }))[0].details).to.deep.equal({ records: 4 });
    });

    it('re-keys every row of every shopper', async () => {
      await store().putShopperPreferences(alice, preferences('opted-in'));
      await store().addShopperFeedback(bob, feedback, { itemId: 'i1', reason: 'never-show', until: null });
      const next = (p: string) => (p === alice ? 'c'.repeat(64) : 'd'.repeat(64));
      expect(await store().rekeyShoppers(next, (n) => ({ ...audit('shopper.rekeyed'), details: { shoppers: n } }))).to.equal(2);
      expect(await store().getShopperPreferences(alice)).to.equal(undefined);
      expect((await store().getShopperPreferences('c'.repeat(64)))?.consent?.choice).to.equal('opted-in');
      expect(await store().listConsentHistory('c'.repeat(64))).to.have.length(1);
      expect(await store().listSuppressions('d'.repeat(64))).to.have.length(1);
      expect(await store().listShopperFeedback(bob)).to.deep.equal([]);
    });
  });
}
