/**
 * The shape every source of retail data is turned into: the seeded synthetic generator
 * (`client-sim/world/generate-world.ts`) and the CSV importer (`client-sim/dataset/`) both produce a RetailWorld, so
 * training, evaluation and the simulated stores never ask where the data came from.
 */

/** Public catalogue data: the server may hold it, it says nothing about any shopper. */
export interface CatalogItem {
  id: string;
  name: string;
  category: string;
  brand: string;
  /** Unit price in the store's currency; > 0. */
  price: number;
  promotion: boolean;
  novelty: boolean;
}

export interface Store {
  id: string;
  name: string;
  region: string;
}

/**
 * One shopper's purchase history, time-ordered. Lives only inside the store client that owns
 * the shopper (`store` is an index into RetailWorld.stores); the coordinator never sees it.
 */
export interface Shopper {
  id: string;
  store: number;
  /** Indices into RetailWorld.catalog, oldest first. */
  items: number[];
  /** Purchase times (days since the world's start), same length as `items`, non-decreasing. */
  times: number[];
}

export interface RetailWorld {
  catalog: CatalogItem[];
  /** Distinct category names; CatalogItem.category is one of them. */
  categories: string[];
  stores: Store[];
  shoppers: Shopper[];
  /** Where the world came from, for logs and summaries. */
  source: { kind: 'synthetic'; seed: number } | { kind: 'csv'; file: string };
}
