/**
 * `fedrec demo`: the whole system on one machine. A coordinator with the REST API on a SQLite
 * file, one simulated store client per store of the world (in this process), a DP training job
 * (or the one a previous demo left running, resumed), and then the server keeps serving until
 * interrupted.
 */
import { z } from 'zod';
import type { LeaveLastOutSplit, RetailWorld } from '../../client-sim/world/index.ts';
import { defaultModelPriors, modelForWorld, selectBackend, withModelPriors } from '../../models/index.ts';
import { createApiKey, recordGovernanceAction, systemActor } from '../../server/governance/index.ts';
import { createLogger } from '../../server/operations/logger.ts';
import { installProcessGuards } from '../../server/operations/process-guards.ts';
import { openStore, type FedrecStore } from '../../server/store/index.ts';
import { numberFlag, privacyBudgetFlag, switchFlag, textFlag, unknownFlags, wholeNumberFlag } from '../flag-schemas.ts';
import { federatedDefaults, jobConfig } from '../job-flags.ts';
import { resumeOrStartJob, startLocalFederation } from '../local-federation.ts';
import { callJson } from '../api-client.ts';
import { parseFlags } from '../parse-flags.ts';
import { fetchRecommendations, formatRecommendations } from '../recommendations-client.ts';
import { untilSignal } from '../until-signal.ts';
import { checkWorldFlags, loadWorld, worldFlagShape, worldFlagsHelp } from '../world-options.ts';
import { loadPseudonymKey } from '../../server/shoppers/index.ts';
import type { Command } from './command.ts';

const demoSchema = z
  .strictObject(
    {
      ...worldFlagShape,
      port: wholeNumberFlag(0, 65535).default(3000),
      db: textFlag.default('./fedrec.db'),
      pseudonymKeyFile: textFlag.optional(),
      rounds: wholeNumberFlag(1, 100_000).default(federatedDefaults.rounds),
      epsilon: numberFlag(z.number().positive('must be > 0')).default(federatedDefaults.epsilon),
      privacyBudget: privacyBudgetFlag.optional(),
      /** Exit after training instead of serving (CI smoke runs). */
      exit: switchFlag('exit'),
    },
    unknownFlags,
  )
  .superRefine(checkWorldFlags);

const help = `usage: fedrec demo [--port 3000] [--db ./fedrec.db] [--rounds ${federatedDefaults.rounds}] [--epsilon ${federatedDefaults.epsilon}] [--privacy-budget EPS[,DELTA]] [--exit] [world options]

Starts a coordinator with the REST API on the SQLite file, connects one simulated store client per
store of the world, runs a DP training job (q = 0.1, C = ${federatedDefaults.clipNorm}, δ = ${federatedDefaults.delta}; a job a previous demo
left running on the same file is resumed instead), then keeps serving until Ctrl-C.

  --port N        HTTP port of the coordinator and API (0: any free port)
  --pseudonym-key-file FILE  the shoppers' pseudonym key, kept apart from the database (default: the --db path + .pseudonym-key; created 0600 if missing; FEDREC_PSEUDONYM_KEY overrides)
  --db FILE       the SQLite file (created if missing)
  --rounds N      training rounds
  --epsilon E     privacy budget ε of the job (its metrics included)
  --privacy-budget EPS[,DELTA]
                  the deployment's lifetime (ε, δ) every job is composed against (δ default 1e-6)
  --exit          stop after training instead of serving

${worldFlagsHelp}
`;

export const demoCommand: Command = {
  summary: 'coordinator + simulated stores + a DP training job, then keep serving',
  help,
  async run(argv) {
    const flags = parseFlags(demoSchema, argv);
    const log = (line: string): void => console.error(line);
    await selectBackend(log);
    const loaded = await loadWorld(flags, log);
    const { world } = loaded;
    const { split } = loaded;
    const model = modelForWorld(world, loaded.seed);
    withModelPriors(model.weights, defaultModelPriors);
    // What escapes every handler is logged (JSON, stderr) and the demo keeps serving.
    const uninstallGuards = installProcessGuards(createLogger({ level: 'info' }));
    const store = openStore(flags.db);
    try {
      await store.putCatalog(world.catalog);
      const federation = await startLocalFederation({
        store,
        pseudonymKey: loadPseudonymKey({ file: flags.pseudonymKeyFile ?? `${flags.db}.pseudonym-key`, env: process.env }),
        port: flags.port,
        world,
        split,
        features: model.features,
        api: true,
        label: 'demo',
        log,
        onRound: (r) =>
          log(
            `round ${r.round}: ${r.clients} stores, loss ${r.loss.toFixed(3)}` +
              (r.metrics['recall@10'] !== undefined ? `, recall@10 ${r.metrics['recall@10'].toFixed(3)}` : '') +
              (r.epsilon !== null ? `, ε ${r.epsilon.toFixed(2)} of ${flags.epsilon}` : ''),
          ),
      });
      if (flags.privacyBudget) await federation.coordinator.setPrivacyBudget(flags.privacyBudget);
      console.log(`fedrec coordinator listening on ${federation.url}`);
      const started = Date.now();
      const { jobId, done, resumed } = await resumeOrStartJob(federation.coordinator, jobConfig({ rounds: flags.rounds, epsilon: flags.epsilon }, { shoppers: world.shoppers.length, stores: world.stores.length }), model.weights);
      log(`job ${jobId} ${resumed ? 'resumed' : 'started'}`);
      if (!resumed) await recordGovernanceAction(store, { actor: systemActor, action: 'job.started', target: jobId, details: { by: 'fedrec demo' } });
      const status = await done;
      log(`job ${jobId} ${status} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      if (status === 'completed') {
        const appKey = await approveTrainedVersion(store, federation.url, jobId, log);
        await printExample(federation.url, appKey, world, split, !flags.exit);
      }
      if (!flags.exit) {
        console.log(`serving on ${federation.url} (Ctrl-C to stop)`);
        await untilSignal();
      }
      await federation.close();
      return flags.exit && status !== 'completed' ? 1 : 0;
    } finally {
      await store.close();
      uninstallGuards();
    }
  },
};

/**
 * A trained version serves only once a named approver approves it: the demo does what an approver
 * would, with its own approver key and the reason "demo", over the REST API. Returns an app key
 * (for the closing example and the `fedrec recommend` line it prints).
 */
async function approveTrainedVersion(store: FedrecStore, url: string, jobId: string, log: (line: string) => void): Promise<string> {
  const approver = await createApiKey(store, { role: 'approver', name: 'demo approver' }, systemActor);
  const app = await createApiKey(store, { role: 'app', name: 'demo app' }, systemActor);
  const latest = await store.latestModelVersion(jobId);
  if (latest) {
    await callJson(url, approver.key, 'POST', `/v1/models/${latest.version}/approve`, { reason: 'demo' });
    log(`model version ${latest.version} approved by the demo's approver key ${approver.record.id} (reason "demo"); it serves now`);
  }
  return app.key;
}

/**
 * The demo's closing example: a held-out shopper's explained recommendations from the freshly
 * trained model, asked over real HTTP as a web shop would, and the command to ask for more.
 */
async function printExample(url: string, appKey: string, world: RetailWorld, split: LeaveLastOutSplit, keepsServing: boolean): Promise<void> {
  const shopper = split.test.find((t) => t.history.length >= 3) ?? split.test[0];
  if (!shopper) return;
  // The API takes up to 1,000 history entries and the model reads the latest 20; a wholesaler in
  // real data has thousands of lines, so the example sends the latest 100.
  const ids = shopper.history.slice(-100).map((i) => world.catalog[i].id);
  const storeId = world.stores[shopper.store].id;
  // The shop's app names its shopper and records their opt-in first: the server keeps the choice
  // under a pseudonym (never this id) and serves the request from it.
  const shopperId = `demo-shopper-${split.test.indexOf(shopper)}`;
  await callJson(url, appKey, 'PUT', `/v1/shoppers/${shopperId}/preferences`, { consent: { choice: 'opted-in', noticeVersion: 'demo-notice-1', source: 'fedrec demo' } });
  const answer = await fetchRecommendations(url, appKey, { shopperId, history: ids.map((itemId) => ({ itemId })), context: { storeId }, personalization: true, k: 5 });
  const bought = shopper.history.slice(-3).map((i) => world.catalog[i].name).join(', ');
  console.log(`\nExplained recommendations for a held-out shopper of ${storeId} (opted in) whose latest purchases were ${bought}:`);
  console.log('error' in answer ? answer.error : formatRecommendations(answer.recommendations));
  if (keepsServing) console.log(`\nAsk for more: FEDREC_API_KEY=${appKey} npx fedrec recommend --url ${url} --store ${storeId} --history ${ids.slice(-5).join(',')}`);
}
