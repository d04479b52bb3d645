/**
 * Complaint rates for the merchant view: shoppers' `not-relevant` and `never-show` feedback per
 * 1,000 recommendations served (counted at serving, so sealed with the rest; the scorecard divides
 * by the impressions the app reports instead, `server/measurement/scorecard.ts`), per item, per
 * category and per model version. Read from
 * sealed (noised once per day) counters only, like `item-exposure-report.ts`: a complaint is
 * about a shopper, so it gets the same protection as a recommendation. A cohort with fewer than
 * `minCohort` (noised) recommendations is withheld.
 */
import type { CatalogItem } from '../../models/data/retail-world.ts';
import type { FedrecStore } from '../store/index.ts';
import { exposureKeys } from './exposure-keys.ts';

export type ComplaintRate =
  | { withheld: false; recommended: number; notRelevant: number; neverShow: number; complaints: number; perThousand: number }
  | { withheld: true; reason: string };

export interface ComplaintReport {
  denominator: 'recommendations-served';
  minCohort: number;
  filter: { fromDay?: string; toDay?: string };
  items: (ComplaintRate & { itemId: string; category: string })[];
  categories: (ComplaintRate & { category: string })[];
  /** Complaints of either kind per version (the per-version counter does not split them by kind). */
  modelVersions: ({ modelVersion: number } & ({ withheld: false; recommended: number; complaints: number; perThousand: number } | { withheld: true; reason: string }))[];
}

interface Tally {
  recommended: number;
  notRelevant: number;
  neverShow: number;
}

const count = (value: number | undefined): number => Math.max(0, Math.round(value ?? 0));

function rate(t: Tally, minCohort: number): ComplaintRate {
  if (t.recommended < minCohort) return { withheld: true, reason: `fewer than ${minCohort} recommendations` };
  const complaints = t.notRelevant + t.neverShow;
  return { withheld: false, ...t, complaints, perThousand: (1000 * complaints) / t.recommended };
}

/**
 * Items with neither recommendations nor complaints are left out. The per-version rows count each
 * complaint under the version the shopper said showed the item (checked against the server's).
 * @example await complaintReport(store, await store.listCatalog(), { fromDay: '2026-12-01' }, 20)
 */
export async function complaintReport(store: Pick<FedrecStore, 'readSealedExposure'>, catalog: readonly CatalogItem[], filter: { fromDay?: string; toDay?: string }, minCohort: number): Promise<ComplaintReport> {
  const items: ComplaintReport['items'] = [];
  const categories = new Map<string, Tally>();
  const versions = new Map<number, { recommended: number; complaints: number }>();
  for (const item of catalog) {
    const sums = await store.readSealedExposure({ itemId: item.id, ...filter });
    const tally = { recommended: count(sums[exposureKeys.shown]), notRelevant: count(sums[exposureKeys.complaint('not-relevant')]), neverShow: count(sums[exposureKeys.complaint('never-show')]) };
    for (const [key, value] of Object.entries(sums)) {
      const shown = /^shown-by-version:(\d+)$/.exec(key);
      const complained = /^complaint-by-version:(\d+)$/.exec(key);
      const match = shown ?? complained;
      if (!match) continue;
      const v = versions.get(Number(match[1])) ?? { recommended: 0, complaints: 0 };
      if (shown) v.recommended += count(value);
      else v.complaints += count(value);
      versions.set(Number(match[1]), v);
    }
    if (tally.recommended + tally.notRelevant + tally.neverShow === 0) continue;
    items.push({ itemId: item.id, category: item.category, ...rate(tally, minCohort) });
    const c = categories.get(item.category) ?? { recommended: 0, notRelevant: 0, neverShow: 0 };
    c.recommended += tally.recommended;
    c.notRelevant += tally.notRelevant;
    c.neverShow += tally.neverShow;
    categories.set(item.category, c);
  }
  return {
    denominator: 'recommendations-served',
    minCohort,
    filter,
    items,
    categories: [...categories].sort(([a], [b]) => (a < b ? -1 : 1)).map(([category, t]) => ({ category, ...rate(t, minCohort) })),
    modelVersions: [...versions].sort(([a], [b]) => a - b).map(([modelVersion, v]) => {
      if (v.recommended < minCohort) return { modelVersion, withheld: true as const, reason: `fewer than ${minCohort} recommendations` };
      return { modelVersion, withheld: false as const, recommended: v.recommended, complaints: v.complaints, perThousand: (1000 * v.complaints) / v.recommended };
    }),
  };
}
