/**
 * The shopper half of the memory store. As in `memory-store.ts`, every method checks everything
 * (the audit entry included) before it mutates anything, so a change and its audit entry happen
 * together or not at all.
 */
import type { AuditDraft, AuditEntry } from './governance-records.ts';
import { auditDraft } from './governance-validation.ts';
import type { ConsentRecord, ErasureCounts, FeedbackRecord, ShopperPreferences, SuppressionRecord } from './shopper-records.ts';
import { feedbackInput, preferencesInput, pseudonym as pseudonymSchema, suppressionInput } from './shopper-validation.ts';
import { checked } from './store-validation.ts';
import type { ConsentChange } from './measurement-records.ts';
import type { MemoryMeasurement } from './memory-measurement.ts';

interface Shopper {
  preferences?: ShopperPreferences;
  consent: ConsentRecord[];
  suppressions: Map<string, SuppressionRecord>;
  feedback: FeedbackRecord[];
}

export class MemoryShoppers {
  private readonly shoppers = new Map<string, Shopper>();
  /** Feedback sent without a shopper id. */
  private readonly anonymousFeedback: FeedbackRecord[] = [];

  /** `linked`: the measurement half, whose rows erasure and re-keying reach too. */
  constructor(
    private readonly appendAudit: (draft: AuditDraft) => AuditEntry,
    private readonly linked: () => MemoryMeasurement,
  ) {}

  /** Every feedback with its pseudonym (null: anonymous), in insertion order. */
  allFeedback(): (FeedbackRecord & { pseudonym: string | null })[] {
    return structuredClone([...[...this.shoppers].flatMap(([pseudonym, s]) => s.feedback.map((f) => ({ ...f, pseudonym }))), ...this.anonymousFeedback.map((f) => ({ ...f, pseudonym: null }))]);
  }

  countSuppressions(at: string): { suppressions: number; shoppers: number } {
    const active = [...this.shoppers.values()].map((s) => [...s.suppressions.values()].filter((x) => x.until === null || x.until > at).length);
    return { suppressions: active.reduce((a, b) => a + b, 0), shoppers: active.filter((n) => n > 0).length };
  }

  /** Every named shopper's consent records, as the measurement reports read them. */
  consentChanges(): ConsentChange[] {
    return [...this.shoppers].flatMap(([pseudonym, s]) => s.consent.map((c) => ({ pseudonym, choice: c.choice, time: c.time })));
  }

  getShopperPreferences(pseudonym: string): ShopperPreferences | undefined {
    return structuredClone(this.shoppers.get(key('getShopperPreferences', pseudonym))?.preferences);
  }

  putShopperPreferences(pseudonym: string, preferences: Omit<ShopperPreferences, 'updatedAt'>, consentAudit?: AuditDraft): ShopperPreferences {
    const p = key('putShopperPreferences', pseudonym);
    const valid = checked('putShopperPreferences', preferencesInput, preferences);
    const audit = consentAudit && checked('putShopperPreferences', auditDraft, consentAudit, ['audit']);
    const shopper = this.shopper(p);
    const changed = valid.consent !== null && JSON.stringify(valid.consent) !== JSON.stringify(shopper.preferences?.consent ?? null);
    shopper.preferences = { ...structuredClone(valid), updatedAt: new Date().toISOString() };
    if (changed) {
      shopper.consent.push(structuredClone(valid.consent!));
      if (audit) this.appendAudit(audit);
    }
    return structuredClone(shopper.preferences);
  }

  listConsentHistory(pseudonym: string): ConsentRecord[] {
    return structuredClone(this.shoppers.get(key('listConsentHistory', pseudonym))?.consent ?? []);
  }

  addShopperFeedback(pseudonym: string | null, feedback: Omit<FeedbackRecord, 'createdAt'>, suppression?: Omit<SuppressionRecord, 'createdAt'>): void {
    const p = pseudonym === null ? null : key('addShopperFeedback', pseudonym);
    const valid = checked('addShopperFeedback', feedbackInput, feedback);
    const hide = suppression && checked('addShopperFeedback', suppressionInput, suppression, ['suppression']);
    const createdAt = new Date().toISOString();
    if (p === null) {
      this.anonymousFeedback.push({ ...valid, createdAt });
      return;
    }
    const shopper = this.shopper(p);
    shopper.feedback.push({ ...valid, createdAt });
    if (hide) shopper.suppressions.set(`${hide.itemId}\u0000${hide.reason}`, { ...hide, createdAt });
  }

  listShopperFeedback(pseudonym: string): FeedbackRecord[] {
    return structuredClone(this.shoppers.get(key('listShopperFeedback', pseudonym))?.feedback ?? []);
  }

  listSuppressions(pseudonym: string): SuppressionRecord[] {
    const all = [...(this.shoppers.get(key('listSuppressions', pseudonym))?.suppressions.values() ?? [])];
    return structuredClone(all.sort((a, b) => (a.itemId < b.itemId ? -1 : a.itemId > b.itemId ? 1 : a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0)));
  }

  eraseShopper(pseudonym: string, audit: (counts: ErasureCounts) => AuditDraft): ErasureCounts {
    const p = key('eraseShopper', pseudonym);
    const shopper = this.shoppers.get(p);
    const counts = { preferences: shopper?.preferences ? 1 : 0, consentRecords: shopper?.consent.length ?? 0, suppressions: shopper?.suppressions.size ?? 0, feedback: shopper?.feedback.length ?? 0, ...this.linked().countOf(p) };
    const draft = checked('eraseShopper', auditDraft, audit(counts), ['audit']);
    this.shoppers.delete(p);
    this.linked().erase(p);
    this.appendAudit(draft);
    return counts;
  }

  rekeyShoppers(rekey: (pseudonym: string) => string, audit: (shoppers: number) => AuditDraft): number {
    const all = new Set([...this.shoppers.keys(), ...this.linked().pseudonyms()]);
    const renamed = [...all].map((old) => [old, key('rekeyShoppers', rekey(old))] as const);
    if (new Set([...all, ...renamed.map(([, next]) => next)]).size !== 2 * renamed.length) throw new Error('rekeyShoppers: a new pseudonym collides with another');
    const byOld = new Map(renamed);
    const draft = checked('rekeyShoppers', auditDraft, audit(renamed.length), ['audit']);
    const moved = renamed.filter(([old]) => this.shoppers.has(old)).map(([old, next]) => [next, this.shoppers.get(old)!] as const);
    this.shoppers.clear();
    for (const [next, shopper] of moved) this.shoppers.set(next, shopper);
    this.linked().rekey((old) => byOld.get(old)!);
    this.appendAudit(draft);
    return renamed.length;
  }

  private shopper(pseudonym: string): Shopper {
    let shopper = this.shoppers.get(pseudonym);
    if (!shopper) this.shoppers.set(pseudonym, (shopper = { consent: [], suppressions: new Map(), feedback: [] }));
    return shopper;
  }
}

const key = (operation: string, value: string): string => checked(operation, pseudonymSchema, value, ['pseudonym']);
