/**
 * The client side of the round benches, run as a child process of the bench so the clients' work
 * (local training, decoding the weights) never lands on the coordinator's event loop or in its
 * CPU time: on a 2-core machine the coordinator gets one core and all the clients share the other,
 * as a store fleet on other machines would not share the coordinator's.
 *
 * The parent (`bench-federation.ts`) forks this file, sends one ClientsStart over IPC, waits for
 * `{ ready: true }`, may ask `{ usage: true }` (answered with `{ cpuMs }`, this process's CPU time
 * so far), and ends it with `{ stop: true }`.
 */
import { storeData } from '../client-sim/store-client/connect-simulated-stores.ts';
import { StoreClient } from '../client-sim/store-client/store-client.ts';
import { generateWorld, leaveLastOut } from '../client-sim/world/index.ts';
import { selectBackend } from '../models/backend/select-backend.ts';
import { modelForWorld } from '../models/recommender/model-for-world.ts';
import { TinyStepClient } from './tiny-step-client.ts';

/** Which clients to run: real store clients over a synthetic world, or thin one-step clients. */
export type ClientsSpec =
  | { kind: 'store'; world: { seed: number; stores: number; shoppers: number; items: number } }
  | { kind: 'tiny'; shoppersPerClient: number };

export interface ClientsStart {
  url: string;
  spec: ClientsSpec;
  /** One entry per client; `store` indexes the world's stores (store clients only). */
  clients: { clientId: string; token: string; store: number }[];
}

interface Closable {
  close(): void;
}

async function startClients(start: ClientsStart, log: (line: string) => void): Promise<Closable[]> {
  if (start.spec.kind === 'tiny') {
    const { shoppersPerClient } = start.spec;
    const clients = start.clients.map((c) => new TinyStepClient({ url: start.url, clientId: c.clientId, token: c.token, shoppers: shoppersPerClient, log }));
    await Promise.all(clients.map((c) => c.connect()));
    return clients;
  }
  // The same seeded world and model features as the parent's, so each client holds its store's data.
  await selectBackend(() => {});
  const world = generateWorld(start.spec.world);
  const split = leaveLastOut(world.shoppers);
  const { features } = modelForWorld(world, start.spec.world.seed);
  const clients = start.clients.map(
    (c) =>
      new StoreClient({
        url: start.url,
        clientId: c.clientId,
        token: c.token,
        log,
        data: storeData(split, features, c.store),
      }),
  );
  for (const client of clients) await client.connect();
  return clients;
}

if (process.send) {
  const log = (line: string): void => console.error(line);
  let clients: Closable[] = [];
  process.on('message', (message: ClientsStart | { stop: true } | { usage: true }) => {
    if ('usage' in message) {
      const { user, system } = process.cpuUsage();
      process.send!({ cpuMs: (user + system) / 1000 });
      return;
    }
    if ('stop' in message) {
      clients.forEach((c) => c.close());
      process.disconnect();
      return;
    }
    startClients(message, log).then(
      (started) => {
        clients = started;
        process.send!({ ready: true });
      },
      (err: unknown) => {
        log(`round clients: ${err instanceof Error ? err.stack : String(err)}`);
        process.exit(1);
      },
    );
  });
}
