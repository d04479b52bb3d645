/**
 * A version's fairness gap before it has served, for the promotion gate `fairnessGapCeiling`: a
 * candidate has no served exposure to measure, so the probe asks it for the top 10 of an
 * empty-history request at each store it knows (what a shopper the model knows nothing about is
 * shown there), weights them by position as the fairness report does (1/log2(rank + 1)), and takes
 * the largest |exposure share − merit share| over the item groups, merit being the purchase share
 * of the last 28 sealed days (the catalogue share while none is counted). It measures the version's
 * store-level ranking only, not what it does for shoppers with a history; the gate's `source` says so.
 */
import { exposureKeys, positionWeight } from '../exposure/index.ts';
import { recommend, type ServedModel } from '../serving/index.ts';
import type { FedrecStore } from '../store/index.ts';
import { fairnessFromTotals, sealedItemTotals, type ItemTotals } from './fairness-report.ts';
import { reportPeriod } from './report-period.ts';

/** @example await fairnessGapProbe(store, servedModel, 7, new Date()) // { value: 0.12, source: '…' } */
export async function fairnessGapProbe(store: FedrecStore, servedModel: ServedModel, version: number, now: Date): Promise<{ value: number | null; source: string }> {
  const stored = await store.getModelVersion(version);
  if (!stored) return { value: null, source: `no model version ${version}` };
  const snapshot = servedModel.prepare(version, stored.weights);
  const catalog = servedModel.catalogItems();
  const period = reportPeriod(now);
  const totals = await sealedItemTotals(store, catalog, period);
  const probed = new Map<string, ItemTotals>([...totals].map(([id, t]) => [id, { ...t, exposure: 0 }]));
  for (const storeId of snapshot.storeIndex.keys()) {
    const response = recommend(snapshot, { history: [], context: { storeId }, personalization: true, k: 10, explain: false });
    response.items.forEach((item, r) => {
      const t = probed.get(item.itemId);
      if (t) t.exposure += positionWeight(r + 1);
    });
  }
  const gap = fairnessFromTotals(catalog, probed, period).largestGap;
  if (!gap) return { value: null, source: 'fairness probe: the version recommended nothing' };
  return {
    value: Math.abs(gap.gap),
    source: `fairness probe: top 10 for an empty history at each of ${snapshot.storeIndex.size} stores against the ${gap.against === 'merit' ? `purchase share (${exposureKeys.purchased}, sealed days ${period.fromDay} to ${period.toDay})` : 'catalogue share (no purchase counted yet)'}; largest gap ${gap.dimension} "${gap.group}"`,
  };
}
