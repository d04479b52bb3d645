/**
 * The seeded synthetic retail world every simulated store owns a slice of. Its structure is what a
 * recommender must find in real grocery data: regional tastes and assortments (non-IID stores),
 * latent shopper tastes, category loyalty, price sensitivity around a personal budget, promotions,
 * new items, popularity skew, repeat purchases and co-purchases of related items.
 */
import { brandWords, categoryVocabulary, regionNames, townNames } from './catalog-vocabulary.ts';
import type { CatalogItem, RetailWorld, Shopper, Store } from '../../models/data/retail-world.ts';
import { SeededRandom } from '../../models/data/seeded-random.ts';
import { basketItemTraits, basketSequence, basketTopics, topicMixture } from './basket-rule.ts';

export interface WorldOptions {
  seed: number;
  stores: number;
  shoppers: number;
  items: number;
  /** Mean purchases per shopper (heavy- and light-shopper spread around it). */
  meanPurchases?: number;
  /**
   * How shoppers choose: `concepts` (default) uses the terms the model has (price fit, promotion,
   * novelty, store appeal, latent taste, repeats, last-item partners); `baskets` a rule the model
   * does not mirror (see basket-rule.ts), so a reader sees how much of the model's lead is the world.
   */
  rule?: WorldRule;
}

export type WorldRule = 'concepts' | 'baskets';

const latentDim = 8;
// Grocery baskets are mostly re-buys: 59% of order lines in the Instacart 2017 open data are reorders.
const repeatRate = 0.4;
const coPurchaseRate = 0.25;
const partnersPerItem = 3;

/**
 * Generates the world; the same options always give the same world.
 * @example const world = generateWorld({ seed: 7, stores: 8, shoppers: 4000, items: 800 });
 */
export function generateWorld(options: WorldOptions): RetailWorld {
  const rng = new SeededRandom(options.seed);
  const categories = categoryVocabulary.slice(0, Math.max(2, Math.min(categoryVocabulary.length, Math.floor(options.items / 10))));
  const centroids = categories.map(() => gaussianVector(rng, latentDim, 1));
  const items = makeItems(rng, options.items, categories.length, centroids);
  const catalog = nameItems(rng, items, categories);
  const partners = coPurchasePartners(rng, items);
  const regions = regionNames.slice(0, Math.max(1, Math.min(regionNames.length, Math.ceil(options.stores / 3))));
  const regionTaste = regions.map(() => ({ category: gaussianVector(rng, categories.length, 0.6), latent: gaussianVector(rng, latentDim, 0.5) }));
  const stores = makeStores(rng, options.stores, regions, items, regionTaste);
  const storeWeights = stores.map(() => Math.exp(0.6 * rng.normal()));
  const shoppers: Shopper[] = [];
  const meanPurchases = options.meanPurchases ?? 14;
  // Drawn only for the basket rule, so the default rule's worlds are unchanged for every seed.
  const baskets = options.rule === 'baskets' ? { traits: basketItemTraits(rng, items.length), regionBias: regions.map(() => gaussianVector(rng, basketTopics, 0.8)) } : undefined;
  for (let n = 0; n < options.shoppers; n++) {
    const store = sampleIndex(rng, storeWeights);
    const id = `s${String(n).padStart(6, '0')}`;
    const purchaseCount = (): number => 2 + rng.poisson((meanPurchases - 2) * Math.exp(0.5 * rng.normal() - 0.125));
    if (baskets) {
      const mixture = topicMixture(rng, baskets.regionBias[stores[store].regionIndex]);
      shoppers.push({ id, store, ...basketSequence(rng, purchaseCount(), baskets.traits, mixture, stores[store].carries) });
      continue;
    }
    // Draw order as before the basket rule existed: taste, then count.
    const taste = regionTaste[stores[store].regionIndex];
    const shopper = makeShopperTaste(rng, taste, categories.length);
    const count = purchaseCount();
    const cdf = purchaseCdf(stores[store], items, shopper);
    shoppers.push({ id, store, ...purchaseSequence(rng, count, cdf, stores[store], partners) });
  }
  return {
    catalog,
    categories: categories.map((c) => c.name),
    stores: stores.map(({ id, name, region }) => ({ id, name, region })),
    shoppers,
    source: { kind: 'synthetic', seed: options.seed },
  };
}

interface ItemTraits {
  category: number;
  latent: number[];
  logPopularity: number;
  relativeLogPrice: number;
  price: number;
  promotion: boolean;
  novelty: boolean;
}

function makeItems(rng: SeededRandom, count: number, categoryCount: number, centroids: number[][]): ItemTraits[] {
  return Array.from({ length: count }, (_, i) => {
    const category = i < categoryCount ? i : rng.int(categoryCount);
    const relativeLogPrice = 0.35 * rng.normal();
    return {
      category,
      latent: centroids[category].map((c) => c + 0.7 * rng.normal()),
      logPopularity: 0.9 * rng.normal(),
      relativeLogPrice,
      price: Math.max(0.29, Math.round(categoryVocabulary[category].priceLevel * Math.exp(relativeLogPrice) * 10) / 10 - 0.01),
      promotion: rng.next() < 0.12,
      novelty: rng.next() < 0.06,
    };
  });
}

function nameItems(rng: SeededRandom, items: ItemTraits[], categories: typeof categoryVocabulary): CatalogItem[] {
  const taken = new Set<string>();
  return items.map((item, i) => {
    const vocab = categories[item.category];
    let brand = rng.pick(brandWords);
    let name = '';
    for (let attempt = 0; attempt < 20 && (name === '' || taken.has(name)); attempt++) {
      brand = rng.pick(brandWords);
      name = `${brand} ${rng.pick(vocab.products)} ${rng.pick(vocab.sizes)}`;
    }
    for (let variant = 2; taken.has(name); variant++) name = `${name.replace(/ \(no\. \d+\)$/, '')} (no. ${variant})`;
    taken.add(name);
    return { id: `i${String(i).padStart(5, '0')}`, name, category: vocab.name, brand, price: Number(item.price.toFixed(2)), promotion: item.promotion, novelty: item.novelty };
  });
}

/** Items bought together: the closest in taste space among a random pool, so the structure is learnable. */
function coPurchasePartners(rng: SeededRandom, items: ItemTraits[]): number[][] {
  return items.map((item, i) => {
    const pool = Array.from({ length: Math.min(40, items.length - 1) }, () => {
      let j = rng.int(items.length);
      if (j === i) j = (j + 1) % items.length;
      return j;
    });
    return pool
      .map((j) => ({ j, affinity: dot(item.latent, items[j].latent) }))
      .sort((a, b) => b.affinity - a.affinity)
      .slice(0, partnersPerItem)
      .map((p) => p.j);
  });
}

interface StoreTraits extends Store {
  regionIndex: number;
  /** Item indices the store carries, and each one's local appeal (region taste + local trend). */
  assortment: number[];
  localAppeal: Float64Array;
  /** carries[i] = 1 when item i is on this store's shelves. */
  carries: Uint8Array;
}

function makeStores(
  rng: SeededRandom,
  count: number,
  regions: string[],
  items: ItemTraits[],
  regionTaste: { category: number[]; latent: number[] }[],
): StoreTraits[] {
  return Array.from({ length: count }, (_, s) => {
    const regionIndex = s % regions.length;
    const taste = regionTaste[regionIndex];
    const assortment: number[] = [];
    const localAppeal: number[] = [];
    const carries = new Uint8Array(items.length);
    items.forEach((item, i) => {
      const carry = 0.55 + 0.4 / (1 + Math.exp(-2 * taste.category[item.category]));
      if (rng.next() < (item.novelty ? carry * 0.6 : carry)) {
        assortment.push(i);
        carries[i] = 1;
        localAppeal.push(item.logPopularity + taste.category[item.category] + 0.5 * rng.normal());
      }
    });
    return { id: `store-${String(s + 1).padStart(2, '0')}`, name: `${townNames[s % townNames.length]}${s >= townNames.length ? ` ${Math.floor(s / townNames.length) + 1}` : ''}`, region: regions[regionIndex], regionIndex, assortment, localAppeal: Float64Array.from(localAppeal), carries };
  });
}

interface ShopperTaste {
  latent: number[];
  category: number[];
  budget: number;
  priceSensitivity: number;
}

function makeShopperTaste(rng: SeededRandom, region: { category: number[]; latent: number[] }, categoryCount: number): ShopperTaste {
  return {
    latent: region.latent.map((r) => r + rng.normal()),
    category: Array.from({ length: categoryCount }, (_, c) => region.category[c] + 0.8 * rng.normal()),
    budget: 0.3 * rng.normal(),
    priceSensitivity: Math.max(0, 2 + 1 * rng.normal()),
  };
}

function purchaseCdf(store: StoreTraits, items: ItemTraits[], shopper: ShopperTaste): Float64Array {
  const utility = new Float64Array(store.assortment.length);
  let max = -Infinity;
  for (let k = 0; k < store.assortment.length; k++) {
    const item = items[store.assortment[k]];
    const priceGap = item.relativeLogPrice - shopper.budget;
    const u =
      store.localAppeal[k] +
      (1.2 * dot(shopper.latent, item.latent)) / Math.sqrt(latentDim) +
      shopper.category[item.category] -
      shopper.priceSensitivity * priceGap * priceGap +
      (item.promotion ? 0.7 : 0) +
      (item.novelty ? 0.4 : 0);
    utility[k] = u;
    if (u > max) max = u;
  }
  let total = 0;
  for (let k = 0; k < utility.length; k++) utility[k] = total += Math.exp(utility[k] - max);
  for (let k = 0; k < utility.length; k++) utility[k] /= total;
  return utility;
}

function purchaseSequence(rng: SeededRandom, count: number, cdf: Float64Array, store: StoreTraits, partners: number[][]): { items: number[]; times: number[] } {
  const items: number[] = [];
  const times: number[] = [];
  let day = rng.next() * 30;
  for (let n = 0; n < count; n++) {
    day += -Math.log(1 - rng.next()) * 4;
    const r = rng.next();
    let item: number | undefined;
    if (items.length > 0 && r < repeatRate) item = rng.pick(items);
    else if (items.length > 0 && r < repeatRate + coPurchaseRate) {
      const partner = rng.pick(partners[items[items.length - 1]]);
      if (store.carries[partner]) item = partner;
    }
    items.push(item ?? store.assortment[searchCdf(cdf, rng.next())]);
    times.push(Math.round(day * 100) / 100);
  }
  return { items, times };
}

function searchCdf(cdf: Float64Array, u: number): number {
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cdf[mid] < u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function sampleIndex(rng: SeededRandom, weights: number[]): number {
  let u = rng.next() * weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < weights.length; i++) if ((u -= weights[i]) < 0) return i;
  return weights.length - 1;
}

const gaussianVector = (rng: SeededRandom, n: number, scale: number): number[] => Array.from({ length: n }, () => scale * rng.normal());

function dot(a: number[], b: number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
