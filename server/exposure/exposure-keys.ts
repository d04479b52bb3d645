/**
 * The counters kept per item × store × segment × day, by key. Shares and means are computed when
 * read, from these sums, so the store never holds anything per shopper or per request.
 */
import type { ConceptKind } from '../../explain/index.ts';

export const exposureKeys = {
  /** Times the item was recommended. */
  shown: 'shown',
  /** Times it was recommended with an explanation (the denominator of shares and means). */
  explained: 'explained',
  /** Times the concept was the largest positive attribution. */
  topReason: (kind: ConceptKind) => `top-reason:${kind}`,
  /** Sum of the concept's attributions (its purchases summed, for `purchase`). */
  attribution: (kind: ConceptKind) => `attribution:${kind}`,
  /** Times the concept was the most negative attribution: what holds the item back. */
  holdsBack: (kind: ConceptKind) => `holds-back:${kind}`,
} as const;

/** Store id under which requests from stores unknown to the model are counted. */
export const unknownStoreId = 'unknown';

/** UTC day of a date, as the store keys counters: YYYY-MM-DD. */
export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
