/**
 * What a world looks like from above: per store, how many shoppers and purchases it holds and how
 * far its category mix is from the all-store mix. Stores that differ are what makes federated
 * learning hard (non-IID clients), so the summary puts that difference in one number per store.
 */
import { leaveLastOut } from '../../models/data/leave-last-out.ts';
import type { RetailWorld } from '../../models/data/retail-world.ts';

export interface StoreSummary {
  id: string;
  name: string;
  region: string;
  shoppers: number;
  purchases: number;
  /** The store's three biggest categories by share of its purchases. */
  topCategories: { category: string; share: number }[];
  /**
   * Total-variation distance between the store's category shares and the whole world's, in [0, 1]:
   * the share of the store's purchases that would have to move category to match the average store.
   */
  categoryDivergence: number;
}

export interface WorldSummary {
  stores: StoreSummary[];
  shoppers: number;
  purchases: number;
  items: number;
  categories: number;
  /** Shoppers with a held-out last purchase under the leave-last-out split. */
  heldOutShoppers: number;
}

/**
 * @example summarizeWorld(generateWorld({ seed: 1, stores: 8, shoppers: 4000, items: 800 })).stores[0].categoryDivergence
 */
export function summarizeWorld(world: RetailWorld, holdout = 1): WorldSummary {
  const categoryOf = categoryIndexOfItems(world);
  const perStore = world.stores.map(() => ({ shoppers: 0, purchases: 0, categories: new Float64Array(world.categories.length) }));
  const overall = new Float64Array(world.categories.length);
  for (const shopper of world.shoppers) {
    const store = perStore[shopper.store];
    store.shoppers++;
    store.purchases += shopper.items.length;
    for (const item of shopper.items) {
      store.categories[categoryOf[item]]++;
      overall[categoryOf[item]]++;
    }
  }
  const overallShares = shares(overall);
  const stores = world.stores.map((store, s): StoreSummary => {
    const mix = shares(perStore[s].categories);
    return {
      ...store,
      shoppers: perStore[s].shoppers,
      purchases: perStore[s].purchases,
      topCategories: [...mix]
        .map((share, c) => ({ category: world.categories[c], share }))
        .sort((a, b) => b.share - a.share)
        .slice(0, 3),
      // A store without purchases has no mix to move: 0, not the distance from an all-zero vector.
      categoryDivergence: perStore[s].purchases === 0 ? 0 : 0.5 * mix.reduce((sum, share, c) => sum + Math.abs(share - overallShares[c]), 0),
    };
  });
  return {
    stores,
    shoppers: world.shoppers.length,
    purchases: perStore.reduce((n, s) => n + s.purchases, 0),
    items: world.catalog.length,
    categories: world.categories.length,
    heldOutShoppers: leaveLastOut(world.shoppers, holdout).test.length,
  };
}

function categoryIndexOfItems(world: RetailWorld): Int32Array {
  const index = new Map(world.categories.map((c, i) => [c, i]));
  return Int32Array.from(world.catalog, (item) => index.get(item.category) ?? 0);
}

/** Counts → shares; all zeros (a store nobody shops at) stays all zeros. */
function shares(counts: Float64Array): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  return Array.from(counts, (c) => (total > 0 ? c / total : 0));
}
