/**
 * A whole federation in one child process for the randomised crash test: a coordinator on the
 * SQLite file `argv[2]`, three simulated stores of a small seeded world, and one DP job, started on a
 * fresh file or resumed from it. It prints one JSON line per event on stdout: `started` (the job
 * exists), `released` (a version is durably stored, with the SHA-256 of its weight bytes), and
 * `done` (the job's status and the event-loop delay p99 while it ran, perf_hooks'
 * monitorEventLoopDelay at 1 ms resolution), then exits 0. Test code only.
 */
import { createHash } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { connectSimulatedStores } from '../../client-sim/store-client/connect-simulated-stores.ts';
import { generateWorld } from '../../client-sim/world/generate-world.ts';
import { storePopulations } from '../../cli/store-populations.ts';
import { leaveLastOut } from '../../models/data/leave-last-out.ts';
import { modelForWorld } from '../../models/recommender/model-for-world.ts';
import { startCoordinator } from '../../server/host/start-coordinator.ts';
import { registerClients } from '../../server/realtime/index.ts';
import { openStore } from '../../server/store/index.ts';

export const crashWorld = { seed: 7, stores: 3, shoppers: 240, items: 50 };
export const crashJob = {
  rounds: 6,
  samplingRate: 0.5,
  minClients: 3,
  roundDeadlineMs: 30_000,
  evaluateEvery: 3,
  privacy: { mode: 'dp', clipNorm: 0.5, noiseMultiplier: 1, delta: 1e-5 },
} as const;
export const crashModel = { embeddingDim: 8, storeDim: 4 };

const say = (event: Record<string, unknown>): void => void process.stdout.write(`${JSON.stringify(event)}\n`);

if (process.argv[1]?.endsWith('crash-federation.ts')) {
  const store = openStore(process.argv[2]);
  const world = generateWorld(crashWorld);
  const split = leaveLastOut(world.shoppers);
  const model = modelForWorld(world, 5, crashModel);
  const delay = monitorEventLoopDelay({ resolution: 1 });
  const host = await startCoordinator({
    store,
    port: 0,
    log: () => {},
    onRound: (summary) => say({ event: 'round', round: summary.round, persistMs: summary.timing?.persistMs, wallMs: summary.timing?.wallMs }),
    onRelease: (version, weights) => say({ event: 'released', version, sha256: createHash('sha256').update(new Uint8Array(weights.values.buffer, weights.values.byteOffset, weights.values.byteLength)).digest('hex') }),
  });
  const credentials = await registerClients(store, storePopulations(world), `crash-${process.pid}`);
  const clients = await connectSimulatedStores({ url: host.url, credentials, world, split, features: model.features });
  delay.enable();
  const [resumed] = await host.coordinator.resumeJobs();
  const running = resumed ?? (await host.coordinator.startJob(crashJob, model.weights));
  say({ event: 'started', jobId: running.jobId, resumed: resumed !== undefined });
  const status = await running.done;
  delay.disable();
  say({ event: 'done', status, eventLoopP99Ms: delay.percentile(99) / 1e6, eventLoopMaxMs: delay.max / 1e6 });
  clients.forEach((c) => c.close());
  await host.close();
  await store.close();
  process.exit(0);
}
