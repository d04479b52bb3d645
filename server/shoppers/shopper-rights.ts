/**
 * A shopper's rights as transport-free operations: read and change preferences (with the consent
 * record and its audit entry), the access export (GDPR Art. 15 and 20), erasure (Art. 17) with its
 * receipt, and the stored choices a recommendation request is served from. Each takes the raw id
 * from the request, turns it into the pseudonym at once and never passes the id on: not to the
 * store, not to the audit log, not to a log line.
 */
import type { ConsentChoice, ConsentRecord, ErasureCounts, ExperimentGroup, FeedbackRecord, FedrecStore, OutcomeEvent, ShopperPreferences, SuppressionRecord } from '../store/index.ts';
import { auditReference, pseudonymize, type PseudonymKey } from './pseudonym-key.ts';

export interface ShopperContext {
  store: FedrecStore;
  pseudonymKey: PseudonymKey;
  clock: () => Date;
}

export interface PreferencesView {
  consent: ConsentChoice;
  consentRecord: ConsentRecord | null;
  doNotTarget: boolean;
  excludedCategories: string[];
  excludedBrands: string[];
  updatedAt: string | null;
}

export interface PreferencesChange {
  /** Omitted: the stored consent stays as it is. */
  consent?: { choice: ConsentChoice; noticeVersion: string; source: string };
  doNotTarget: boolean;
  excludedCategories: string[];
  excludedBrands: string[];
}

export interface ShopperExport {
  format: 'fedrec-shopper-export-1';
  exportedAt: string;
  preferences: PreferencesView | null;
  consentHistory: ConsentRecord[];
  feedback: FeedbackRecord[];
  suppressions: SuppressionRecord[];
  /** The shopper's holdout assignment, if they were ever served by name (`server/measurement/`). */
  experimentAssignments: { experiment: 'personalisation-holdout'; group: ExperimentGroup; share: number; assignedAt: string }[];
  /** The app's outcome events about the shopper (kept for the retention window). */
  outcomeEvents: Omit<OutcomeEvent, 'pseudonym'>[];
}

export interface ErasureReceipt {
  erased: ErasureCounts;
  total: number;
  at: string;
}

const view = (stored: ShopperPreferences | undefined): PreferencesView => ({
  consent: stored?.consent?.choice ?? 'never-asked',
  consentRecord: stored?.consent ?? null,
  doNotTarget: stored?.doNotTarget ?? false,
  excludedCategories: stored?.excludedCategories ?? [],
  excludedBrands: stored?.excludedBrands ?? [],
  updatedAt: stored?.updatedAt ?? null,
});

/** @example await readPreferences(ctx, 'shopper-42') // { consent: 'never-asked', … } */
export async function readPreferences(ctx: ShopperContext, shopperId: string): Promise<PreferencesView> {
  return view(await ctx.store.getShopperPreferences(pseudonymize(ctx.pseudonymKey, shopperId)));
}

/**
 * Replaces the preferences. A consent given here is recorded with the server's time (a client's
 * clock is not evidence), and a change of it is kept in the history and audited under the shopper's
 * audit reference, in the store's one transaction, before this resolves: the very next request is
 * served from it (nothing is cached).
 */
export async function writePreferences(ctx: ShopperContext, shopperId: string, change: PreferencesChange, actor: string): Promise<PreferencesView> {
  const pseudonym = pseudonymize(ctx.pseudonymKey, shopperId);
  const before = await ctx.store.getShopperPreferences(pseudonym);
  const consent: ConsentRecord | null = change.consent
    ? { purpose: 'personalisation', choice: change.consent.choice, time: ctx.clock().toISOString(), noticeVersion: change.consent.noticeVersion, source: change.consent.source }
    : (before?.consent ?? null);
  const unchanged = before?.consent && consent && before.consent.choice === consent.choice && before.consent.noticeVersion === consent.noticeVersion && before.consent.source === consent.source;
  const stored = await ctx.store.putShopperPreferences(
    pseudonym,
    { consent: unchanged ? before.consent : consent, doNotTarget: change.doNotTarget, excludedCategories: change.excludedCategories, excludedBrands: change.excludedBrands },
    consent ? { actor, action: 'shopper.consent-changed', target: auditReference(ctx.pseudonymKey, pseudonym), details: { purpose: consent.purpose, choice: consent.choice, noticeVersion: consent.noticeVersion, source: consent.source } } : undefined,
  );
  return view(stored);
}

/** Everything fedrec holds about the shopper, as JSON. A shopper it holds nothing about gets an empty export. */
export async function exportShopperData(ctx: ShopperContext, shopperId: string): Promise<ShopperExport> {
  const pseudonym = pseudonymize(ctx.pseudonymKey, shopperId);
  const [preferences, consentHistory, feedback, suppressions, assignment, events] = await Promise.all([
    ctx.store.getShopperPreferences(pseudonym),
    ctx.store.listConsentHistory(pseudonym),
    ctx.store.listShopperFeedback(pseudonym),
    ctx.store.listSuppressions(pseudonym),
    ctx.store.getHoldoutAssignment(pseudonym),
    ctx.store.listOutcomeEvents(),
  ]);
  const experimentAssignments = assignment ? [{ experiment: 'personalisation-holdout' as const, group: assignment.group, share: assignment.share, assignedAt: assignment.assignedAt }] : [];
  const outcomeEvents = events.filter((e) => e.pseudonym === pseudonym).map(({ pseudonym: _, ...e }) => e);
  return { format: 'fedrec-shopper-export-1', exportedAt: ctx.clock().toISOString(), preferences: preferences ? view(preferences) : null, consentHistory, feedback, suppressions, experimentAssignments, outcomeEvents };
}

/**
 * Removes every row keyed by the pseudonym. The audit entry says that an erasure of N records
 * happened and names no one: not the pseudonym, not its audit reference.
 */
export async function eraseShopperData(ctx: ShopperContext, shopperId: string, actor: string): Promise<ErasureReceipt> {
  const pseudonym = pseudonymize(ctx.pseudonymKey, shopperId);
  const total = (c: ErasureCounts) => Object.values(c).reduce((a, b) => a + b, 0);
  const erased = await ctx.store.eraseShopper(pseudonym, (counts) => ({ actor, action: 'shopper.erased', target: 'shopper', details: { records: total(counts) } }));
  return { erased, total: total(erased), at: ctx.clock().toISOString() };
}

/** The shopper's stored records a recommendation is served from, read fresh on every request. */
export async function storedChoices(ctx: ShopperContext, shopperId: string): Promise<{ preferences: ShopperPreferences | undefined; suppressions: SuppressionRecord[] }> {
  const pseudonym = pseudonymize(ctx.pseudonymKey, shopperId);
  const [preferences, suppressions] = await Promise.all([ctx.store.getShopperPreferences(pseudonym), ctx.store.listSuppressions(pseudonym)]);
  return { preferences, suppressions };
}
