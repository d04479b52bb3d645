/**
 * A real federation on 127.0.0.1 for tests: an HTTP server with the socket.io round adapter on an
 * ephemeral port, a store, a coordinator, and store clients over a small synthetic world. `close`
 * always disconnects every socket, so a failing test cannot leave the process hanging.
 */
import { generateWorld } from '../../client-sim/world/generate-world.ts';
import { leaveLastOut } from '../../models/data/leave-last-out.ts';
import { storeData } from '../../client-sim/store-client/connect-simulated-stores.ts';
import { StoreClient, type StoreClientOptions } from '../../client-sim/store-client/store-client.ts';
import { modelForWorld, type WorldModel } from '../../models/recommender/model-for-world.ts';
import { selectBackend } from '../../models/backend/select-backend.ts';
import { SeededRandomSource } from '../../server/privacy/index.ts';
import { startCoordinator } from '../../server/host/start-coordinator.ts';
import { hashToken, issueClientToken, type RoundSocketServer } from '../../server/realtime/index.ts';
import type { Coordinator, RoundSummary } from '../../server/rounds/index.ts';
import type { FedrecStore } from '../../server/store/fedrec-store.ts';
import { MemoryStore } from '../../server/store/index.ts';
import type { RetailWorld } from '../../models/data/retail-world.ts';

export interface Federation {
  url: string;
  store: FedrecStore;
  coordinator: Coordinator;
  sockets: RoundSocketServer;
  clients: StoreClient[];
  world: RetailWorld;
  model: WorldModel;
  rounds: RoundSummary[];
  /** Registers and connects one more client for store `store`. */
  addClient(store: number, extra?: Partial<StoreClientOptions> & { population?: number }): Promise<StoreClient>;
  close(): Promise<void>;
}

/** `clientLabel` goes into the client ids, so a second federation on the same store registers new ones. */
export async function startFederation(options: { stores?: number; shoppers?: number; items?: number; store?: FedrecStore; connect?: number; clientLabel?: string } = {}): Promise<Federation> {
  await selectBackend(() => {});
  const world = generateWorld({ seed: 3, stores: options.stores ?? 3, shoppers: options.shoppers ?? 150, items: options.items ?? 60 });
  const split = leaveLastOut(world.shoppers);
  const model = modelForWorld(world, 5, { embeddingDim: 8, storeDim: 4 });
  const store = options.store ?? new MemoryStore();
  const rounds: RoundSummary[] = [];
  const host = await startCoordinator({ store, port: 0, random: new SeededRandomSource(11), onRound: (r) => rounds.push(r) });
  const { url, coordinator, sockets } = host;
  const clients: StoreClient[] = [];
  const federation: Federation = {
    url,
    store,
    coordinator,
    sockets,
    clients,
    world,
    model,
    rounds,
    async addClient(s, extra = {}) {
      const clientId = `${world.stores[s].id}-${options.clientLabel ?? ''}${clients.length}`;
      const token = issueClientToken();
      const data = storeData(split, model.features, s);
      await store.registerClient({ id: clientId, storeId: world.stores[s].id, tokenHash: hashToken(token), population: extra.population ?? data.train.length });
      const client = new StoreClient({ url, clientId, token, data, random: new SeededRandomSource(100 + clients.length), ...extra });
      clients.push(client);
      await client.connect();
      return client;
    },
    async close() {
      clients.forEach((c) => c.close());
      await host.close();
    },
  };
  for (let s = 0; s < (options.connect ?? world.stores.length); s++) await federation.addClient(s);
  return federation;
}

/** Polls until `predicate` holds or `ms` pass. */
export async function waitFor(predicate: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > end) throw new Error('waitFor: condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
