/**
 * `fedrec demo`: the whole system on one machine. A coordinator on a SQLite file, one simulated
 * store client per store of the synthetic world (in this process), a DP training job, and then
 * the coordinator keeps serving until interrupted.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { leaveLastOut } from '../../client-sim/world/leave-last-out.ts';
import { generateWorld } from '../../client-sim/world/generate-world.ts';
import { StoreClient } from '../../client-sim/store-client/store-client.ts';
import { selectBackend } from '../../models/backend/select-backend.ts';
import { modelForWorld } from '../../models/recommender/model-for-world.ts';
import { startCoordinator } from '../../server/host/start-coordinator.ts';
import { hashToken, issueClientToken } from '../../server/realtime/index.ts';
import { openStore } from '../../server/store/index.ts';
import type { Command } from './command.ts';
import { parseFlags } from '../parse-flags.ts';

const flagsSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(3000),
  db: z.string().default('./fedrec.db'),
  rounds: z.coerce.number().int().positive().default(30),
  epsilon: z.coerce.number().positive().default(8),
  stores: z.coerce.number().int().positive().default(8),
  shoppers: z.coerce.number().int().positive().default(4000),
  items: z.coerce.number().int().positive().default(800),
  seed: z.coerce.number().int().default(1),
  /** Exit after training instead of serving (CI smoke runs). */
  exit: z.union([z.literal(true), z.literal('true')]).optional(),
});

export const demoCommand: Command = {
  summary: 'coordinator + simulated stores + a DP training job, then keep serving',
  help: `usage: fedrec demo [--port 3000] [--db ./fedrec.db] [--rounds 30] [--epsilon 8]
                  [--stores 8 --shoppers 4000 --items 800 --seed 1] [--exit]`,
  async run(argv) {
    const flags = parseFlags(flagsSchema, argv);
    const log = (line: string): void => console.error(line);
    await selectBackend(log);
    const world = generateWorld({ seed: flags.seed, stores: flags.stores, shoppers: flags.shoppers, items: flags.items });
    const split = leaveLastOut(world.shoppers);
    const model = modelForWorld(world, flags.seed);
    const store = openStore(flags.db);
    await store.putCatalog(world.catalog);
    const host = await startCoordinator({
      store,
      port: flags.port,
      log,
      onRound: (r) =>
        log(
          `round ${r.round}: ${r.clients} stores, loss ${r.loss.toFixed(3)}` +
            (r.metrics['recall@10'] !== undefined ? `, recall@10 ${r.metrics['recall@10'].toFixed(3)}` : '') +
            (r.epsilon !== null ? `, ε ${r.epsilon.toFixed(2)} of ${flags.epsilon}` : ''),
        ),
    });
    console.log(`fedrec coordinator listening on ${host.url}`);
    // Each demo run registers its own simulated clients: a client id is never re-issued a token.
    const run = randomBytes(3).toString('hex');
    const clients = await Promise.all(
      world.stores.map(async (s, index) => {
        const token = issueClientToken();
        const clientId = `${s.id}-demo-${run}`;
        await store.registerClient({ id: clientId, storeId: s.id, tokenHash: hashToken(token) });
        const client = new StoreClient({
          url: host.url,
          clientId,
          token,
          data: { train: split.train.filter((sh) => sh.store === index), test: split.test.filter((t) => t.store === index), features: model.features },
        });
        await client.connect();
        return client;
      }),
    );
    const started = Date.now();
    // A job that was running when the coordinator died resumes from its last completed round.
    const [resumed] = await host.coordinator.resumeJobs();
    const { jobId, done } =
      resumed ??
      (await host.coordinator.startJob(
        {
          rounds: flags.rounds,
          expectedShoppersPerRound: Math.max(1, Math.round(world.shoppers.length / 10)),
          minClients: Math.max(1, Math.ceil(world.stores.length / 2)),
          roundDeadlineMs: 120_000,
          evaluateEvery: 5,
          serverOptimizer: 'fedavg',
          privacy: { mode: 'dp', clipNorm: 0.5, targetEpsilon: flags.epsilon, delta: 1e-6 },
        },
        model.weights,
      ));
    log(`job ${jobId} started`);
    const status = await done;
    log(`job ${jobId} ${status} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    if (flags.exit) {
      clients.forEach((c) => c.close());
      await host.close();
      await store.close();
      return status === 'completed' ? 0 : 1;
    }
    console.log(`serving on ${host.url} (Ctrl-C to stop)`);
    await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
    clients.forEach((c) => c.close());
    await host.close();
    await store.close();
    return 0;
  },
};
