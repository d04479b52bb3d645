/**
 * POST /v1/events, transport-free: the app's impressions, clicks, add-to-carts and purchases.
 * Every number is hostile until checked against what the server knows, and a batch with any
 * problem is refused whole (every problem listed, nothing stored):
 * - the time is not in the future (beyond `clockSkewMs`) nor older than the retention window;
 * - every item is in the catalogue;
 * - a recommendation id is one this server issued, to this shopper, no later than the event, and
 *   an impression's items are that recommendation's items at those positions;
 * - a purchase is in the deployment's currency and worth at most the list price × quantity (a
 *   purchase may be discounted, never dearer than the catalogue says).
 * The group and model version stored are the server's: the shopper's holdout assignment (made now
 * if the shopper was never served, so every named shopper is analysed in the group they were
 * assigned, intention to treat) and the issued recommendation's version.
 *
 * Purchases also count in the sealed, noised daily counters (`purchased`, per item), which is
 * where the fairness report's merit share comes from.
 */
import type { CatalogItem } from '../../models/data/retail-world.ts';
import { FedrecError, type ErrorIssue } from '../errors/index.ts';
import { exposureKeys, outcomeCell, utcDay, type ExposureRecorder } from '../exposure/index.ts';
import { pseudonymize, type PseudonymKey } from '../shoppers/index.ts';
import type { FedrecStore, IssuedRecommendation, OutcomeEvent } from '../store/index.ts';
import type { HoldoutAssigner } from './holdout-assignment.ts';
import type { IssuedRecommendationLog } from './issued-recommendations.ts';
import { readMeasurementSettings } from './measurement-settings.ts';

/** Largest batch: events per request, and impression items over all its events. */
export const maxEventsPerBatch = 500;
export const maxImpressionItemsPerBatch = 5000;
/** How far in the future an event's time may be: the app's clock against the server's. */
export const clockSkewMs = 5 * 60_000;

interface Common { eventId: string; shopperId: string; time: string }
export type OutcomeInput =
  | (Common & { kind: 'impression'; recommendationId: string; items: { itemId: string; position: number }[] })
  | (Common & { kind: 'click' | 'add-to-cart'; itemId: string; recommendationId?: string })
  | (Common & { kind: 'purchase'; itemId: string; value: number; currency: string; quantity: number; recommendationId?: string });

export interface OutcomeContext {
  store: FedrecStore;
  pseudonymKey: PseudonymKey;
  clock: () => Date;
  catalog: () => readonly CatalogItem[];
  holdout: HoldoutAssigner;
  issued: IssuedRecommendationLog;
  exposure: ExposureRecorder;
}

const catalogIndex = new WeakMap<readonly CatalogItem[], Map<string, CatalogItem>>();

function indexOf(catalog: readonly CatalogItem[]): Map<string, CatalogItem> {
  let index = catalogIndex.get(catalog);
  if (!index) catalogIndex.set(catalog, (index = new Map(catalog.map((item) => [item.id, item]))));
  return index;
}

/** @example await ingestOutcomeEvents(ctx, [{ kind: 'purchase', eventId: 'o-1', shopperId: 's-1', itemId: 'i00012', value: 2.5, currency: 'EUR', quantity: 1, time }]) */
export async function ingestOutcomeEvents(ctx: OutcomeContext, events: readonly OutcomeInput[]): Promise<{ received: number; stored: number; duplicates: number }> {
  const now = ctx.clock();
  const settings = await readMeasurementSettings(ctx.store);
  const oldest = now.getTime() - settings.retentionDays * 86_400_000;
  const items = indexOf(ctx.catalog());
  await ctx.issued.flush();
  const ids = [...new Set(events.flatMap((e) => (e.recommendationId === undefined ? [] : [e.recommendationId])))];
  const issued = new Map((await ctx.store.getIssuedRecommendations(ids)).map((r) => [r.id, r]));
  const issues: ErrorIssue[] = [];
  const at = (n: number, ...path: (string | number)[]) => ['body', 'events', n, ...path];
  const pseudonyms = events.map((e) => pseudonymize(ctx.pseudonymKey, e.shopperId));
  events.forEach((e, n) => {
    const time = Date.parse(e.time);
    if (time > now.getTime() + clockSkewMs) issues.push({ path: at(n, 'time'), message: 'is in the future by the server’s clock' });
    if (time < oldest) issues.push({ path: at(n, 'time'), message: `is older than the ${settings.retentionDays}-day retention window` });
    const named = e.kind === 'impression' ? e.items.map((i) => i.itemId) : [e.itemId];
    named.forEach((itemId, i) => {
      if (!items.has(itemId)) issues.push({ path: e.kind === 'impression' ? at(n, 'items', i, 'itemId') : at(n, 'itemId'), message: `no catalogue item "${itemId}"` });
    });
    if (e.recommendationId !== undefined) issues.push(...recommendationIssues(e, issued.get(e.recommendationId), pseudonyms[n], time, at(n)));
    if (e.kind === 'purchase') {
      if (e.currency !== settings.currency) issues.push({ path: at(n, 'currency'), message: `this deployment reports in ${settings.currency}` });
      const item = items.get(e.itemId);
      // A float-rounding allowance of a cent.
      if (item && e.value > item.price * e.quantity + 0.01) issues.push({ path: at(n, 'value'), message: `is more than the list price × quantity (${(item.price * e.quantity).toFixed(2)})` });
    }
  });
  if (issues.length) throw new FedrecError('invalid-input', 'events name what this server does not know', issues);

  const groups = await Promise.all(pseudonyms.map((p) => ctx.holdout.groupOf(p)));
  const rows: OutcomeEvent[] = [];
  events.forEach((e, n) => {
    const base = { eventId: e.eventId, pseudonym: pseudonyms[n], recommendationId: e.recommendationId ?? null, modelVersion: e.recommendationId ? (issued.get(e.recommendationId)!.modelVersion ?? null) : null, group: groups[n], at: new Date(e.time).toISOString() };
    if (e.kind === 'impression') for (const i of e.items) rows.push({ ...base, kind: 'impression', itemId: i.itemId, position: i.position, value: null, currency: null });
    else rows.push({ ...base, kind: e.kind, itemId: e.itemId, position: null, value: e.kind === 'purchase' ? e.value : null, currency: e.kind === 'purchase' ? e.currency : null });
  });
  const { added, duplicates, duplicateIndexes } = await ctx.store.addOutcomeEvents(rows);
  const skipped = new Set(duplicateIndexes);
  rows.forEach((row, i) => {
    if (row.kind === 'purchase' && !skipped.has(i)) ctx.exposure.add(row.itemId, outcomeCell.storeId, outcomeCell.segment, utcDay(new Date(row.at)), exposureKeys.purchased, 1);
  });
  return { received: events.length, stored: added, duplicates };
}

function recommendationIssues(e: OutcomeInput, issued: IssuedRecommendation | undefined, pseudonym: string, time: number, path: (string | number)[]): ErrorIssue[] {
  // One message for unknown and someone else's: the answer must not tell which ids exist.
  if (!issued || issued.pseudonym !== pseudonym) return [{ path: [...path, 'recommendationId'], message: 'not a recommendation this server issued to this shopper' }];
  if (time < Date.parse(issued.issuedAt) - clockSkewMs) return [{ path: [...path, 'time'], message: 'is before the recommendation was issued' }];
  if (e.kind === 'impression') {
    return e.items.flatMap((i, k) => (issued.items[i.position - 1] === i.itemId ? [] : [{ path: [...path, 'items', k], message: `item "${i.itemId}" was not at position ${i.position} of that recommendation` }]));
  }
  return issued.items.includes(e.itemId) ? [] : [{ path: [...path, 'itemId'], message: `item "${e.itemId}" was not in that recommendation` }];
}
