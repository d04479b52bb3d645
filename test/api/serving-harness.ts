/**
 * The REST API on 127.0.0.1 for tests: a small synthetic world, a model with random weights in which
 * every concept is active, a MemoryStore holding the catalogue, and helpers that always close the
 * server (socket.io's test harness is the model). Every recommendation response that passes through
 * `call` is checked for efficiency item by item (score = baseline + Σ contributions), so every test
 * that asks for recommendations checks every item it is served.
 */
import type { CatalogItem, RetailWorld } from '../../models/data/retail-world.ts';
import { generateWorld } from '../../client-sim/world/generate-world.ts';
import { SeededRandom } from '../../models/data/seeded-random.ts';
import { ConceptScorer } from '../../models/recommender/concept-scorer.ts';
import { itemFeatures } from '../../models/recommender/item-features.ts';
import { modelForWorld, type WorldModel } from '../../models/recommender/model-for-world.ts';
import { cloneWeights, parameterView, type ModelWeights } from '../../models/weights/model-weights.ts';
import { expectScoreIsBaselinePlusContributions, type ServedItem } from './attribution-checks.ts';
import { startApi, type RunningApi } from '../../server/api/index.ts';
import type { RandomSource } from '../../server/privacy/index.ts';
import { ServedModel } from '../../server/serving/index.ts';
import { MemoryStore, type FedrecStore } from '../../server/store/index.ts';
import { measurementSettingsName, writeMeasurementSettings } from '../../server/measurement/index.ts';
import { authorizationFor, createRoleKeys, type RoleKeys } from '../helpers/role-keys.ts';

export interface Serving {
  url: string;
  api: RunningApi;
  store: FedrecStore;
  servedModel: ServedModel;
  world: RetailWorld;
  model: WorldModel;
  /** A scorer over `weights` with the world's own features: an independent check of what is served. */
  scorerFor(weights: ModelWeights): ConceptScorer;
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any; text: string }>;
  /** One API key per role; `call` sends the key of the route's first role unless its headers set `authorization`. */
  keys: RoleKeys;
  /** Explained items whose efficiency `call` has checked so far. */
  checkedItems(): number;
  close(): Promise<void>;
}


/** A catalogue item the model has never seen: stored, never scored. */
export const strangerItem: CatalogItem = { id: 'x-new-001', name: 'Moonbeam Kombucha 330ml', category: 'Beverages', brand: 'Moonbeam', price: 2.49, promotion: true, novelty: true };

const hyperparameters = { embeddingDim: 8, storeDim: 4, historyLength: 12 };

/** Random weights with every concept switched on (fresh weights leave bias, flags and affinity at 0). */
export function activeWeights(world: RetailWorld, seed: number, version = 1): ModelWeights {
  const weights = cloneWeights(modelForWorld(world, seed, hyperparameters).weights, version);
  const rng = new SeededRandom(seed * 7919 + 1);
  const fill = (name: string, scale: number, shift = 0) => parameterView(weights, name).forEach((_, i, a) => (a[i] = shift + scale * rng.normal()));
  fill('itemBias', 0.5);
  fill('categoryAffinity', 0.8);
  fill('positionWeight', 0.3, 0.5);
  fill('repeatWeight', 0.3, 0.4);
  fill('priceFit', 0.3, -0.5);
  fill('promotion', 0.1, 0.4);
  fill('novelty', 0.1, -0.2);
  fill('historyExponent', 1);
  fill('itemHistory', 0.6);
  fill('itemCandidate', 0.6);
  return weights;
}

/** What a test may set on the API besides the harness's own choices (CORS, rate limits, the logger, server limits …). */
export type ApiOverrides = Partial<Omit<Parameters<typeof startApi>[0], 'store' | 'servedModel'>>;

/**
 * `holdoutShare` (default 0): the harness's named shoppers are all in the personalised group unless
 * a test asks for a holdout (issue 14), so a test that a shopper is personalised is deterministic.
 */
export async function startServing(options: { items?: number; minCohort?: number; clock?: () => Date; release?: boolean; store?: FedrecStore; sealNoiseStd?: number; random?: RandomSource; api?: ApiOverrides; holdoutShare?: number } = {}): Promise<Serving> {
  const world = generateWorld({ seed: 3, stores: 4, shoppers: 300, items: options.items ?? 240 });
  const model = modelForWorld(world, 5, hyperparameters);
  const store = options.store ?? new MemoryStore();
  await store.putCatalog([...world.catalog, strangerItem]);
  const servedModel = new ServedModel({ catalog: await store.listCatalog() });
  if (options.release !== false) servedModel.release(1, activeWeights(world, 11));
  const keys = await createRoleKeys(store);
  if ((await store.getSetting(measurementSettingsName)) === undefined) await writeMeasurementSettings(store, { holdoutShare: options.holdoutShare ?? 0 }, 'system');
  const api = await startApi({ log: () => {}, ...options.api, store, servedModel, minCohort: options.minCohort, clock: options.clock, sealNoiseStd: options.sealNoiseStd, random: options.random });
  const features = itemFeatures(world.catalog, world.categories);
  let checked = 0;
  return {
    url: api.url,
    api,
    store,
    servedModel,
    world,
    model,
    keys,
    scorerFor: (weights) => new ConceptScorer(model.shape, weights, features),
    async call(method, path, body, headers = {}) {
      const init: RequestInit = { method, headers: { authorization: authorizationFor(keys, method, path), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers } };
      if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
      const response = await fetch(api.url + path, init);
      const text = await response.text();
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      if (method === 'POST' && path === '/v1/recommendations' && response.status === 200) {
        for (const item of (parsed as { items: Partial<ServedItem>[] }).items) {
          if (item.attributions === undefined) continue;
          expectScoreIsBaselinePlusContributions(item as ServedItem);
          checked++;
        }
      }
      return { status: response.status, body: parsed, text };
    },
    checkedItems: () => checked,
    close: () => api.close(),
  };
}

/** A shopper's recent purchases from the world, as request history. */
export function historyOf(world: RetailWorld, shopper: number, length = 8): { itemId: string }[] {
  return world.shoppers[shopper].items.slice(-length).map((i) => ({ itemId: world.catalog[i].id }));
}
