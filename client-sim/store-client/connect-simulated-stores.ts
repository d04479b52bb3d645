/**
 * Simulated stores: one StoreClient per set of credentials, each holding only its own store's
 * shoppers of the world (their training purchases, and held-out last purchases for federated
 * evaluation). `fedrec demo`, `fedrec train` and `fedrec sim` all connect their stores here.
 */
import type { ItemFeatures } from '../../models/recommender/item-features.ts';
import type { ClientCredentials } from '../../protocol/index.ts';
import type { LeaveLastOutSplit } from '../../models/data/leave-last-out.ts';
import type { RetailWorld } from '../../models/data/retail-world.ts';
import type { StoreData } from './compute-round-update.ts';
import { StoreClient, type StoreClientOptions } from './store-client.ts';

/** The slice of the split that store `index` of the world holds. */
export function storeData(split: LeaveLastOutSplit, features: ItemFeatures, index: number): StoreData {
  return { train: split.train.filter((s) => s.store === index), test: split.test.filter((t) => t.store === index), features };
}

export interface SimulatedStoresOptions {
  url: string;
  credentials: readonly ClientCredentials[];
  world: RetailWorld;
  split: LeaveLastOutSplit;
  features: ItemFeatures;
  log?: (line: string) => void;
  /** Passed to every client (tests inject seeded randomness or limits here). */
  clientOptions?: Partial<Omit<StoreClientOptions, 'url' | 'clientId' | 'token' | 'data'>>;
}

/**
 * Connects one client per credential; resolves once every handshake was accepted. A credential
 * for a store the world does not have is refused before anything connects.
 * @example const clients = await connectSimulatedStores({ url, credentials, world, split, features: model.features });
 */
export async function connectSimulatedStores(options: SimulatedStoresOptions): Promise<StoreClient[]> {
  const index = new Map(options.world.stores.map((s, i) => [s.id, i]));
  const unknown = options.credentials.filter((c) => !index.has(c.storeId));
  if (unknown.length > 0) {
    // The CLI checks credentials a user gave before this (cli/run-store-clients.ts): here it is a bug.
    throw new RangeError(
      `credentials name stores this world does not have: ${unknown.map((c) => c.storeId).join(', ')} (it has ${options.world.stores.map((s) => s.id).join(', ')})`,
    );
  }
  const clients = options.credentials.map(
    (c) => new StoreClient({ ...options.clientOptions, url: options.url, clientId: c.clientId, token: c.token, data: storeData(options.split, options.features, index.get(c.storeId)!), log: options.log }),
  );
  try {
    await Promise.all(clients.map((client) => client.connect()));
  } catch (thrown) {
    clients.forEach((client) => client.close());
    throw thrown;
  }
  return clients;
}
