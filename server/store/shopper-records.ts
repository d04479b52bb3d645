/**
 * What fedrec keeps about a shopper, every row keyed by the shopper's pseudonym (an HMAC of the
 * retailer's id under a key the database never holds, `server/shoppers/pseudonym-key.ts`), never by
 * the id itself. The rules that use these records live in `server/shoppers/`; a store only keeps
 * them, writes a consent change with its history row and its audit entry in one transaction, and
 * erases or re-keys every row of a pseudonym at once.
 */
import type { AuditDraft } from './governance-records.ts';

/** Opt-in: `never-asked` is served non-personalised, like `opted-out`. */
export const consentChoices = ['opted-in', 'opted-out', 'never-asked'] as const;
export type ConsentChoice = (typeof consentChoices)[number];

/** One consent decision as given: what for, which choice, when, under which notice, through what. */
export interface ConsentRecord {
  purpose: 'personalisation';
  choice: ConsentChoice;
  time: string;
  noticeVersion: string;
  /** Where the choice was made (`app-settings`, `cookie-banner`, …): the retailer's words. */
  source: string;
}

export interface ShopperPreferences {
  /** The current consent record; null: never asked. */
  consent: ConsentRecord | null;
  doNotTarget: boolean;
  excludedCategories: string[];
  excludedBrands: string[];
  updatedAt: string;
}

export const suppressionReasons = ['never-show', 'not-relevant'] as const;

export interface SuppressionRecord {
  itemId: string;
  reason: (typeof suppressionReasons)[number];
  /** ISO time the suppression ends; null: for good (`never-show`). */
  until: string | null;
  createdAt: string;
}

export const feedbackKinds = ['not-relevant', 'never-show', 'rating'] as const;
export type FeedbackKind = (typeof feedbackKinds)[number];

export interface FeedbackRecord {
  itemId: string;
  modelVersion: number;
  recommendationId: string | null;
  kind: FeedbackKind;
  /** 1–5 for `rating`, else null. */
  rating: number | null;
  createdAt: string;
}

/** What an erasure removed, by kind. */
export interface ErasureCounts {
  preferences: number;
  consentRecords: number;
  suppressions: number;
  feedback: number;
  /** Measurement records (`measurement-records.ts`): the holdout assignment, recommendations issued, outcome events. */
  experimentAssignments: number;
  issuedRecommendations: number;
  outcomeEvents: number;
}

export interface ShopperStore {
  getShopperPreferences(pseudonym: string): Promise<ShopperPreferences | undefined>;
  /**
   * Writes the preferences; when the consent record differs from the stored one it is appended to
   * the consent history and `consentAudit` (if given) to the audit log, all in one transaction.
   */
  putShopperPreferences(pseudonym: string, preferences: Omit<ShopperPreferences, 'updatedAt'>, consentAudit?: AuditDraft): Promise<ShopperPreferences>;
  /** Every consent record, oldest first. */
  listConsentHistory(pseudonym: string): Promise<ConsentRecord[]>;
  /** Stores a feedback (pseudonym null: an anonymous one) and, with it, a suppression of its item. */
  addShopperFeedback(pseudonym: string | null, feedback: Omit<FeedbackRecord, 'createdAt'>, suppression?: Omit<SuppressionRecord, 'createdAt'>): Promise<void>;
  listShopperFeedback(pseudonym: string): Promise<FeedbackRecord[]>;
  /** Every suppression of the shopper, expired ones included (serving filters by `until`). */
  listSuppressions(pseudonym: string): Promise<SuppressionRecord[]>;
  /** Removes every row keyed by the pseudonym, and appends the audit entry built from the counts, atomically. */
  eraseShopper(pseudonym: string, audit: (counts: ErasureCounts) => AuditDraft): Promise<ErasureCounts>;
  /** Replaces every pseudonym in every shopper table by `rekey(old)`, and appends the audit entry, atomically; returns the shoppers re-keyed. */
  rekeyShoppers(rekey: (pseudonym: string) => string, audit: (shoppers: number) => AuditDraft): Promise<number>;
}
