/**
 * Fairness of exposure across item groups (Singh & Joachims 2018): for each grouping of the
 * catalogue (category, brand, price band, new versus established), each group's share of the
 * position-weighted exposure in served recommendations (weight 1/log2(rank + 1) per counted rank,
 * `exposure-weight`), against its share of the catalogue and its share of purchases (merit: what
 * shoppers chose). Exposure far above merit is attention the group is given beyond what shoppers
 * reward, far below is attention withheld. The largest gap |exposure share − merit share| over
 * every group is named (against the catalogue share while no purchase is counted).
 *
 * Counts come from the sealed, noised daily counters only, like the merchant view (seal-day.ts):
 * each item's sealed sums over the period, clamped at 0 (noise can push a small one below), then
 * summed per group (post-processing of released values).
 *
 * Shopper segments: recall@10 by segment (new / occasional / regular by how many past purchases
 * the model reads) from the serving version's job's DP federated evaluation, its latest round at
 * or before the version's that released them, with the largest gap between segments reported
 * beside the exposure gap (`segment-recall.ts`).
 */
import type { CatalogItem } from '../../models/data/retail-world.ts';
import { exposureKeys } from '../exposure/index.ts';
import type { FedrecStore } from '../store/index.ts';
import type { ReportPeriod } from './report-period.ts';
import { segmentRecall, type SegmentsReport } from './segment-recall.ts';

export const fairnessDimensions = ['category', 'brand', 'price-band', 'newness'] as const;
export type FairnessDimension = (typeof fairnessDimensions)[number];

export interface GroupExposure {
  group: string;
  items: number;
  catalogueShare: number;
  exposure: number;
  exposureShare: number;
  purchases: number;
  meritShare: number | null;
  /** exposureShare − meritShare (null while no purchase is counted). */
  gapToMerit: number | null;
  gapToCatalogue: number;
}

export interface FairnessReport {
  period: { fromDay: string; toDay: string };
  source: 'sealed-noised-daily-counters';
  /** Noised totals over the period. */
  recommendations: number;
  exposure: number;
  purchases: number;
  priceBands: { lowBelow: number; highFrom: number };
  dimensions: Record<FairnessDimension, GroupExposure[]>;
  largestGap: { dimension: FairnessDimension; group: string; against: 'merit' | 'catalogue'; exposureShare: number; comparedShare: number; gap: number } | null;
  segments: SegmentsReport;
}

export interface ItemTotals {
  shown: number;
  exposure: number;
  purchases: number;
  complaints: number;
}

/** Every catalogue item's sealed sums over the period, clamped at 0. */
export async function sealedItemTotals(store: Pick<FedrecStore, 'readSealedExposure'>, catalog: readonly CatalogItem[], period: ReportPeriod): Promise<Map<string, ItemTotals>> {
  const totals = new Map<string, ItemTotals>();
  for (const item of catalog) {
    const sums = await store.readSealedExposure({ itemId: item.id, fromDay: period.fromDay, toDay: period.toDay });
    const read = (key: string) => Math.max(0, sums[key] ?? 0);
    totals.set(item.id, { shown: read(exposureKeys.shown), exposure: read(exposureKeys.exposureWeight), purchases: read(exposureKeys.purchased), complaints: read(exposureKeys.complaint('not-relevant')) + read(exposureKeys.complaint('never-show')) });
  }
  return totals;
}

/**
 * Price bands are the catalogue's terciles: with prices sorted ascending, `low` is below the price
 * at index ⌊n/3⌋, `high` from the price at index ⌊2n/3⌋, `mid` between.
 */
export function priceBands(catalog: readonly CatalogItem[]): { lowBelow: number; highFrom: number } {
  const prices = catalog.map((i) => i.price).sort((a, b) => a - b);
  return { lowBelow: prices[Math.floor(prices.length / 3)] ?? 0, highFrom: prices[Math.floor((2 * prices.length) / 3)] ?? 0 };
}

export function groupOf(item: CatalogItem, dimension: FairnessDimension, bands: { lowBelow: number; highFrom: number }): string {
  if (dimension === 'category') return item.category;
  if (dimension === 'brand') return item.brand;
  if (dimension === 'newness') return item.novelty ? 'new' : 'established';
  return item.price < bands.lowBelow ? 'low' : item.price >= bands.highFrom ? 'high' : 'mid';
}

/** @example await fairnessReport(store, await store.listCatalog(), reportPeriod(new Date()), servingRecord) */
export async function fairnessReport(store: Pick<FedrecStore, 'readSealedExposure' | 'listRounds'>, catalog: readonly CatalogItem[], period: ReportPeriod, serving: Parameters<typeof segmentRecall>[1] = null): Promise<FairnessReport> {
  return fairnessFromTotals(catalog, await sealedItemTotals(store, catalog, period), period, await segmentRecall(store, serving));
}

const segmentsNotRead: SegmentsReport = { available: false, reason: 'not read for this figure' };

export function fairnessFromTotals(catalog: readonly CatalogItem[], totals: Map<string, ItemTotals>, period: ReportPeriod, segments: SegmentsReport = segmentsNotRead): FairnessReport {
  const bands = priceBands(catalog);
  const sum = (pick: (t: ItemTotals) => number) => [...totals.values()].reduce((a, t) => a + pick(t), 0);
  const exposure = sum((t) => t.exposure);
  const purchases = sum((t) => t.purchases);
  const dimensions = {} as Record<FairnessDimension, GroupExposure[]>;
  let largestGap: FairnessReport['largestGap'] = null;
  for (const dimension of fairnessDimensions) {
    const groups = new Map<string, { items: number; exposure: number; purchases: number }>();
    for (const item of catalog) {
      const g = groupOf(item, dimension, bands);
      const t = totals.get(item.id);
      const row = groups.get(g) ?? { items: 0, exposure: 0, purchases: 0 };
      row.items++;
      row.exposure += t?.exposure ?? 0;
      row.purchases += t?.purchases ?? 0;
      groups.set(g, row);
    }
    dimensions[dimension] = [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([group, row]) => {
      const exposureShare = exposure === 0 ? 0 : row.exposure / exposure;
      const catalogueShare = row.items / catalog.length;
      const meritShare = purchases === 0 ? null : row.purchases / purchases;
      const gapToMerit = meritShare === null ? null : exposureShare - meritShare;
      const gapToCatalogue = exposureShare - catalogueShare;
      const gap = gapToMerit ?? gapToCatalogue;
      if (exposure > 0 && (largestGap === null || Math.abs(gap) > Math.abs(largestGap.gap))) {
        largestGap = { dimension, group, against: meritShare === null ? 'catalogue' : 'merit', exposureShare, comparedShare: meritShare ?? catalogueShare, gap };
      }
      return { group, items: row.items, catalogueShare, exposure: row.exposure, exposureShare, purchases: row.purchases, meritShare, gapToMerit, gapToCatalogue };
    });
  }
  return {
    period: { fromDay: period.fromDay, toDay: period.toDay },
    source: 'sealed-noised-daily-counters',
    recommendations: sum((t) => t.shown),
    exposure,
    purchases,
    priceBands: bands,
    dimensions,
    largestGap,
    segments,
  };
}
