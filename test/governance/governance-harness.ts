/**
 * A whole fedrec server for the oversight tests: `startFedrecServer` (REST + socket.io) on a real
 * SQLite file in a temp directory, a small world's catalogue, one job whose three rounds released
 * versions 1–3 (recall@10 0.2, 0.3, 0.4; ε 1, 2, 3), and one API key per role. `restart` closes
 * the server and the store and opens both again on the same file, as a redeploy would.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateWorld } from '../../client-sim/world/generate-world.ts';
import type { RetailWorld } from '../../models/data/retail-world.ts';
import { cloneWeights } from '../../models/weights/model-weights.ts';
import { startFedrecServer, type FedrecServer } from '../../server/host/start-fedrec-server.ts';
import { SqliteStore } from '../../server/store/index.ts';
import { activeWeights } from '../api/serving-harness.ts';
import { createRoleKeys, type RoleKeys } from '../helpers/role-keys.ts';

export interface Governed {
  url: string;
  file: string;
  server: FedrecServer;
  store: SqliteStore;
  keys: RoleKeys;
  world: RetailWorld;
  jobId: string;
  /** fetch with `Bearer <key>` (no header when key is undefined); the body JSON-encoded. */
  call(method: string, path: string, key: string | undefined, body?: unknown): Promise<{ status: number; body: any }>;
  /** A recommendation request for shopper `n` of the world, with the app key. */
  recommend(n?: number): Promise<{ status: number; body: any }>;
  restart(): Promise<void>;
  close(): Promise<void>;
}

export const jobId = 'job-governed';

export async function startGoverned(): Promise<Governed> {
  const dir = await mkdtemp(join(tmpdir(), 'fedrec-governance-'));
  const file = join(dir, 'fedrec.db');
  const world = generateWorld({ seed: 3, stores: 4, shoppers: 300, items: 240 });
  let store = new SqliteStore(file);
  await store.putCatalog(world.catalog);
  await store.createJob({ id: jobId, config: {} });
  for (const round of [1, 2, 3]) {
    const weights = cloneWeights(activeWeights(world, 10 + round), round);
    const at = new Date().toISOString();
    await store.completeRound({ jobId, round, baseVersion: round - 1, releasedVersion: round, clients: 4, shoppers: 100, metrics: { 'recall@10': 0.1 + 0.1 * round, loss: 1 }, epsilon: round, delta: 1e-6, startedAt: at, finishedAt: at }, weights);
  }
  let server = await startFedrecServer({ store, port: 0, log: () => {}, env: {} });
  const keys = await createRoleKeys(store);
  const governed: Governed = {
    url: server.url,
    file,
    server,
    store,
    keys,
    world,
    jobId,
    async call(method, path, key, body) {
      const headers: Record<string, string> = { ...(key === undefined ? {} : { authorization: `Bearer ${key}` }), ...(body === undefined ? {} : { 'content-type': 'application/json' }) };
      const response = await fetch(new URL(path, governed.url), { method, headers, ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }) });
      const text = await response.text();
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
      return { status: response.status, body: parsed };
    },
    recommend(n = 0) {
      const shopper = world.shoppers[n % world.shoppers.length];
      const history = shopper.items.slice(-6).map((i) => ({ itemId: world.catalog[i].id }));
      return governed.call('POST', '/v1/recommendations', keys.app, { history, context: { storeId: world.stores[shopper.store].id }, personalization: true, k: 5 });
    },
    async restart() {
      await server.close();
      await store.close();
      store = new SqliteStore(file);
      server = await startFedrecServer({ store, port: 0, log: () => {}, env: {} });
      Object.assign(governed, { server, store, url: server.url });
    },
    async close() {
      await server.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return governed;
}
