/**
 * The demo's shoppers use the shop: each simulated shopper (a held-out shopper of the world, so
 * the model never trained on what they buy next) opts in, is served their top 10 over HTTP, and
 * the shop's app reports the impression of the 10 items. The shopper then buys at the rate the
 * world's purchase rule implies: their next purchase is the one the world's generator drew for
 * them (the leave-last-out target: a softmax over their utilities, repeats and co-purchases,
 * `client-sim/world/generate-world.ts`), and they buy it from the list, clicking it first, exactly
 * when it is on the list they were shown. So a personalised list converts as often as it contains
 * what the shopper was going to buy, and a holdout shopper's non-personalised list likewise. Each
 * shopper's earlier purchases (their last three, dated the day before) are the pre-period revenue
 * CUPED adjusts for. Events go to `POST /v1/events` in batches.
 */
import type { LeaveLastOutSplit, RetailWorld } from '../client-sim/world/index.ts';
import { callJson } from './api-client.ts';

export interface SimulatedOutcomes {
  shoppers: number;
  groups: Record<'treatment' | 'holdout', { shoppers: number; bought: number }>;
}

const batchShoppers = 25;
const concurrency = 8;

/** @example await simulateOutcomes(url, appKey, world, split, { shoppers: 600 }) */
export async function simulateOutcomes(url: string, appKey: string, world: RetailWorld, split: LeaveLastOutSplit, options: { shoppers: number; now?: Date }): Promise<SimulatedOutcomes> {
  const now = options.now ?? new Date();
  const before = new Date(now.getTime() - 86_400_000).toISOString();
  const sample = split.test.filter((t) => t.targets.length > 0 && t.history.length > 0).slice(0, options.shoppers);
  const groups = { treatment: { shoppers: 0, bought: 0 }, holdout: { shoppers: 0, bought: 0 } };
  for (let start = 0; start < sample.length; start += batchShoppers) {
    const batch = sample.slice(start, start + batchShoppers);
    const events: Record<string, unknown>[] = [];
    for (let i = 0; i < batch.length; i += concurrency) {
      await Promise.all(
        batch.slice(i, i + concurrency).map(async (held, k) => {
          const n = start + i + k;
          const shopperId = `demo-outcome-shopper-${held.shopper}`;
          await callJson(url, appKey, 'PUT', `/v1/shoppers/${shopperId}/preferences`, { consent: { choice: 'opted-in', noticeVersion: 'demo-notice-1', source: 'fedrec demo' } });
          const history = held.history.slice(-100).map((item) => ({ itemId: world.catalog[item].id }));
          const rec = await callJson<{ recommendationId: string; items: { itemId: string }[]; experiment: { group: 'treatment' | 'holdout' } }>(url, appKey, 'POST', '/v1/recommendations', {
            shopperId, history, context: { storeId: world.stores[held.store].id }, personalization: true, k: 10, explain: false,
          });
          const time = new Date().toISOString();
          const group = groups[rec.experiment.group];
          group.shoppers++;
          events.push({ kind: 'impression', eventId: `imp-${n}`, shopperId, recommendationId: rec.recommendationId, items: rec.items.map((item, r) => ({ itemId: item.itemId, position: r + 1 })), time });
          const next = world.catalog[held.targets[0]];
          if (rec.items.some((item) => item.itemId === next.id)) {
            group.bought++;
            events.push({ kind: 'click', eventId: `clk-${n}`, shopperId, itemId: next.id, recommendationId: rec.recommendationId, time });
            events.push({ kind: 'purchase', eventId: `buy-${n}`, shopperId, itemId: next.id, value: next.price, currency: 'EUR', recommendationId: rec.recommendationId, time });
          }
          held.history.slice(-3).forEach((item, p) => {
            const bought = world.catalog[item];
            events.push({ kind: 'purchase', eventId: `pre-${n}-${p}`, shopperId, itemId: bought.id, value: bought.price, currency: 'EUR', time: before });
          });
        }),
      );
    }
    await callJson(url, appKey, 'POST', '/v1/events', { events });
  }
  return { shoppers: sample.length, groups };
}
