/**
 * The counters kept per item × store × segment × day, by key. Shares and means are computed when
 * read, from these sums, so the store never holds anything per shopper or per request.
 */
import type { ConceptKind, ReasonCode } from '../../explain/index.ts';

export const exposureKeys = {
  /** Times the item was recommended. */
  shown: 'shown',
  /** Times it was recommended with an explanation (the denominator of shares and means). */
  explained: 'explained',
  /**
   * Times the reason was that of the largest positive attribution. By reason code, not concept: a
   * code names its concept (`reasonConcept`), and it says more ("price above the shopper's usual
   * range", not just "price").
   */
  topReason: (code: ReasonCode) => `top-reason:${code}`,
  /** Sum of the concept's attributions (its purchases summed, for `purchase`). */
  attribution: (kind: ConceptKind) => `attribution:${kind}`,
  /** Times the reason was that of the most negative attribution: what holds the item back. */
  holdsBack: (code: ReasonCode) => `holds-back:${code}`,
  /** Times it was recommended by that model version (the denominator of a version's complaint rate). */
  shownByVersion: (version: number) => `shown-by-version:${version}`,
  /** Shoppers' complaints about it (`not-relevant`, `never-show` feedback), and by the model version that showed it. */
  complaint: (kind: 'not-relevant' | 'never-show') => `complaint:${kind}`,
  complaintByVersion: (version: number) => `complaint-by-version:${version}`,
  /**
   * Σ 1/log2(rank + 1) over the responses that recommended the item: the position-weighted
   * exposure of Singh & Joachims 2018 (Sec. 4, the DCG position bias as the attention a rank gets),
   * read by the fairness report (`server/measurement/fairness-report.ts`).
   */
  exposureWeight: 'exposure-weight',
  /** Purchases of the item the app reported (outcome events): the fairness report's merit. */
  purchased: 'purchased',
} as const;

/** The store and segment purchases are counted under: an outcome event names neither. */
export const outcomeCell = { storeId: 'unknown', segment: 'outcome' } as const;

/** The position weight of a 1-based rank (Singh & Joachims 2018). */
export function positionWeight(rank: number): number {
  return 1 / Math.log2(rank + 1);
}

/** The store and segment feedback is counted under: a complaint names neither (the report sums over both). */
export const feedbackCell = { storeId: 'unknown', segment: 'feedback' } as const;

/** Store id under which requests from stores unknown to the model are counted. */
export const unknownStoreId = 'unknown';

const msPerDay = 86_400_000;
let lastDay = { number: NaN, text: '' };

/** UTC day of a date, as the store keys counters: YYYY-MM-DD (formatted once per day: it is asked for on every request). */
export function utcDay(date: Date): string {
  const number = Math.floor(date.getTime() / msPerDay);
  if (number !== lastDay.number) lastDay = { number, text: date.toISOString().slice(0, 10) };
  return lastDay.text;
}
