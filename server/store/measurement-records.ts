/**
 * What fedrec keeps to measure itself (`server/measurement/`): each named shopper's holdout
 * assignment, the recommendations it issued to named shoppers, and the app's outcome events
 * (impressions, clicks, add-to-carts, purchases). All of it is first-party telemetry keyed by the
 * shopper's pseudonym, never by the retailer's id; erasure and re-keying reach every row of it
 * (`shopper-records.ts`), and retention purges what is older than the configured window.
 */
import type { FeedbackRecord } from './shopper-records.ts';

export const experimentGroups = ['treatment', 'holdout'] as const;
export type ExperimentGroup = (typeof experimentGroups)[number];

/** A shopper's group, fixed when first assigned: the share in force then is kept with it. */
export interface HoldoutAssignment {
  pseudonym: string;
  group: ExperimentGroup;
  /** The holdout share when this shopper was assigned (a later change of share never moves them). */
  share: number;
  assignedAt: string;
}

/** A recommendation the server issued to a named shopper: what an impression is checked against. */
export interface IssuedRecommendation {
  id: string;
  pseudonym: string;
  group: ExperimentGroup;
  modelVersion: number | null;
  /** Item ids in rank order (rank n is index n − 1). */
  items: string[];
  issuedAt: string;
}

export const outcomeKinds = ['impression', 'click', 'add-to-cart', 'purchase'] as const;
export type OutcomeKind = (typeof outcomeKinds)[number];

/**
 * One stored outcome: an impression is stored as one row per item shown. `group` and
 * `modelVersion` are the server's (the shopper's assignment, the issued recommendation's
 * version), never the app's claim.
 */
export interface OutcomeEvent {
  /** The app's id of the event; with the pseudonym and item it makes a retried batch idempotent. */
  eventId: string;
  pseudonym: string;
  kind: OutcomeKind;
  recommendationId: string | null;
  itemId: string;
  /** Rank shown at (impressions), else null. */
  position: number | null;
  /** Purchase value in `currency`, else null. */
  value: number | null;
  currency: string | null;
  modelVersion: number | null;
  group: ExperimentGroup;
  at: string;
}

export interface OutcomeFilter {
  /** Inclusive ISO time range. */
  from?: string;
  to?: string;
  kind?: OutcomeKind;
}

/** A consent change as the measurement reports read it (the consent history, without its notice). */
export interface ConsentChange {
  pseudonym: string;
  choice: 'opted-in' | 'opted-out' | 'never-asked';
  time: string;
}

/** What an insert of events did: `duplicateIndexes` are the positions in the batch already stored. */
export interface OutcomeInsert {
  added: number;
  duplicates: number;
  duplicateIndexes: number[];
}

export interface MeasurementStore {
  getHoldoutAssignment(pseudonym: string): Promise<HoldoutAssignment | undefined>;
  /** Stores the assignment unless the shopper has one; returns the one stored (the first wins). */
  assignHoldout(assignment: HoldoutAssignment): Promise<HoldoutAssignment>;
  listHoldoutAssignments(): Promise<HoldoutAssignment[]>;
  /** Adds issued recommendations in one transaction (an id already stored is kept as it was). */
  addIssuedRecommendations(recommendations: IssuedRecommendation[]): Promise<void>;
  getIssuedRecommendations(ids: string[]): Promise<IssuedRecommendation[]>;
  /** Adds events in one transaction; one already stored (same pseudonym, event id and item) is skipped, counted and its index listed. */
  addOutcomeEvents(events: OutcomeEvent[]): Promise<OutcomeInsert>;
  /** Events in the filter, oldest first. */
  listOutcomeEvents(filter?: OutcomeFilter): Promise<OutcomeEvent[]>;
  /** Every named shopper's consent changes in the range, oldest first. */
  listConsentChanges(filter?: { from?: string; to?: string }): Promise<ConsentChange[]>;
  /** Every feedback in the range (anonymous ones with pseudonym null), oldest first: complaint rates. */
  listFeedbackBetween(filter?: { from?: string; to?: string }): Promise<(FeedbackRecord & { pseudonym: string | null })[]>;
  /** Suppressions in force at `at` (never-show, and not-relevant until it ends): rows and shoppers. */
  countSuppressions(at: string): Promise<{ suppressions: number; shoppers: number }>;
  /** Removes events and issued recommendations older than `before` (ISO time); returns how many. */
  purgeMeasurement(before: string): Promise<{ events: number; recommendations: number }>;
}
