/**
 * The load bench's coordinator, alone in its process so its RSS is its own: the round engine
 * (socket.io) and the REST API serving recommendations, in one process and on one event loop as
 * `fedrec serve` runs them, on a SQLite file. Over IPC (forked by `device-load-bench.ts`):
 * - `{ register: n }` registers n more device clients (population 1 each) → `{ credentials }`;
 * - `{ idle: true }` resets the RSS peak → `{ rss }`;
 * - `{ job: config }` runs a job from the model → `{ rounds, peakRss, eventLoopP99Ms, eventLoopMaxMs }`;
 * and `{ stop: true }` ends it. It samples its RSS every 5 ms.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { generateWorld } from '../client-sim/world/generate-world.ts';
import { modelForWorld } from '../models/recommender/model-for-world.ts';
import { startApi } from '../server/api/index.ts';
import { createApiKey } from '../server/governance/index.ts';
import { startCoordinator } from '../server/host/start-coordinator.ts';
import { hashToken, issueClientToken } from '../server/realtime/index.ts';
import type { RoundSummary } from '../server/rounds/index.ts';
import { ServedModel } from '../server/serving/index.ts';
import { openStore } from '../server/store/index.ts';

export const loadWorld = { seed: 1, stores: 20, shoppers: 2_000, items: 1_000 };
export const loadModel = { embeddingDim: 8, storeDim: 4 };

if (process.send) {
  const store = openStore(process.env.FEDREC_LOAD_DB!);
  const world = generateWorld(loadWorld);
  const model = modelForWorld(world, loadWorld.seed, loadModel);
  await store.putCatalog(world.catalog);
  const servedModel = new ServedModel({ catalog: world.catalog });
  servedModel.release(1, model.weights);
  const api = await startApi({ store, servedModel, port: 0, rateLimits: { perAddress: 1e9, perCredential: 1e9 } });
  const { key } = await createApiKey(store, { role: 'app', name: 'load bench' }, 'system');
  let rounds: RoundSummary[] = [];
  const host = await startCoordinator({
    store,
    port: 0,
    log: () => {},
    onRound: (summary) => rounds.push(summary),
    // Every device client connects from 127.0.0.1 here; in the field each has its own address.
    socketOptions: { maxConnectionsPerAddress: 10_000 },
    serverLimits: { maxConnections: 10_000 },
  });
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  let registered = 0;
  process.on('message', (message: { register?: number; idle?: true; job?: Record<string, unknown> & { rounds: number }; stop?: true }) => {
    void (async () => {
      if (message.register) {
        const credentials: { clientId: string; token: string }[] = [];
        for (let n = 0; n < message.register; n++) {
          const token = issueClientToken();
          const clientId = `device-${registered++}`;
          await store.registerClient({ id: clientId, storeId: world.stores[registered % world.stores.length].id, tokenHash: hashToken(token), population: 1 });
          credentials.push({ clientId, token });
        }
        process.send!({ credentials });
      } else if (message.idle) {
        peak = process.memoryUsage().rss;
        process.send!({ rss: peak });
      } else if (message.job) {
        rounds = [];
        const delay = monitorEventLoopDelay({ resolution: 1 });
        delay.enable();
        const { done } = await host.coordinator.startJob(message.job, model.weights);
        const status = await done;
        delay.disable();
        process.send!({
          status,
          rounds: rounds.map((r) => ({ clients: r.clients, invited: r.invited, wallMs: r.timing!.wallMs, persistMs: r.timing!.persistMs })),
          peakRss: Math.max(peak, process.memoryUsage().rss),
          eventLoopP99Ms: delay.percentile(99) / 1e6,
          eventLoopMaxMs: delay.max / 1e6,
          parameters: model.weights.manifest.size,
        });
      } else if (message.stop) {
        clearInterval(sampler);
        await host.close();
        await api.close();
        await store.close();
        process.exit(0);
      }
    })();
  });
  process.send({ url: host.url, apiUrl: api.url, key, histories: world.shoppers.slice(0, 500).map((s) => ({ items: s.items.slice(-10).map((i) => world.catalog[i].id), store: world.stores[s.store].id })) });
}
