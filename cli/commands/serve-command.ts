/**
 * `fedrec serve`: the coordinator and the REST API on one port over a SQLite file, serving until
 * SIGINT or SIGTERM. Store clients connect with tokens from `fedrec clients register` (or
 * `fedrec sim --url … --db …`); `fedrec train --url` starts jobs on it. A job that was running when
 * the previous server stopped resumes as soon as its minimum clients are connected.
 */
import { z } from 'zod';
import { startFedrecServer, type FedrecServer } from '../../server/host/start-fedrec-server.ts';
import { createLogger } from '../../server/operations/logger.ts';
import { installProcessGuards } from '../../server/operations/process-guards.ts';
import type { StoredJobConfig } from '../../server/rounds/index.ts';
import { openStore, type FedrecStore } from '../../server/store/index.ts';
import { privacyBudgetFlag, textFlag, unknownFlags, wholeNumberFlag } from '../flag-schemas.ts';
import { parseFlags } from '../parse-flags.ts';
import { serverSettingFlags, serverSettings, serverSettingsHelp } from '../server-settings.ts';
import { untilSignal } from '../until-signal.ts';
import { loadPseudonymKey } from '../../server/shoppers/index.ts';
import type { Command } from './command.ts';

const serveSchema = z.strictObject(
  {
    port: wholeNumberFlag(0, 65535).default(3000),
    host: textFlag.default('127.0.0.1'),
    db: textFlag.default('./fedrec.db'),
    pseudonymKeyFile: textFlag.optional(),
    drainMs: wholeNumberFlag(0, 600_000).default(10_000),
    maxConnections: wholeNumberFlag(1, 1_000_000).optional(),
    requestTimeoutMs: wholeNumberFlag(1, 3_600_000).optional(),
    ...serverSettingFlags,
    privacyBudget: privacyBudgetFlag.optional(),
  },
  unknownFlags,
);

const help = `usage: fedrec serve [--port 3000] [--host 127.0.0.1] [--db ./fedrec.db] [--privacy-budget EPS[,DELTA]] [options]

Runs the coordinator (socket.io, for store clients) and the REST API (recommendations, merchant
view, training jobs: POST /v1/jobs, GET /v1/jobs/{id}, model versions; see /openapi.json) on one
port, over the SQLite file. Prints its URL on stdout, then serves until SIGINT or SIGTERM; jobs
stopped that way stay resumable, and resume when this server starts again and their minimum
number of store clients is connected.

  --port N      HTTP port (0: any free port)
  --host H      interface to listen on (default 127.0.0.1: this machine only)
  --pseudonym-key-file FILE  the shoppers' pseudonym key, kept apart from the database (default: the --db path + .pseudonym-key; created 0600 if missing; FEDREC_PSEUDONYM_KEY overrides)
  --db FILE     the SQLite file (created if missing)
  --drain-ms N  on SIGINT/SIGTERM, how long requests in flight may take to finish (default 10000)
  --max-connections N   open sockets at most, store clients included (default 1024)
  --request-timeout-ms N  longest a request's headers and body may take to arrive (default 30000)
${serverSettingsHelp}
  --privacy-budget EPS[,DELTA]
                the deployment's lifetime (ε, δ) (δ default 1e-6), stored in the file: every job's
                releases are composed against it, a job that would exceed it is refused (409) and a
                running one stops as budget-exhausted. Without it the stored budget (if any) holds;
                GET /v1/privacy and \`fedrec privacy ledger\` show the spend.

Logs are JSON lines on stderr (pino): one per request with its id, never a body, a history or a
token. /healthz answers while the process lives; /readyz once the store answers and a model is
served; /metrics is Prometheus text.

Store clients need a token: \`fedrec clients register --db FILE --store STORE_ID --shoppers N\`.
Every other route but /openapi.json, /healthz and /readyz (and /metrics with --metrics open) needs an API key with a role (Authorization: Bearer KEY).
On the first start of an empty database one admin key is created: FEDREC_ADMIN_KEY if set
(at least 32 characters), else a random one printed once. Create the others with
\`fedrec keys create --role admin|approver|engineer|merchant|app --name NAME\`. A trained
version serves only once an approver approves it (\`fedrec models approve VERSION --reason …\`).
`;

/** How often to check whether a resumable job has its minimum clients. */
const resumePollMs = 250;

export const serveCommand: Command = {
  summary: 'run the coordinator and the REST API on a SQLite file',
  help,
  async run(argv) {
    const flags = parseFlags(serveSchema, argv);
    const settings = serverSettings(flags);
    const logger = createLogger({ level: settings.logLevel });
    const log = (line: string): void => logger.info(line);
    // Nothing that escapes a handler may end the process: it is logged, and serving goes on.
    const uninstallGuards = installProcessGuards(logger);
    const store = openStore(flags.db);
    try {
      const server = await startFedrecServer({
        store,
        pseudonymKey: loadPseudonymKey({ file: flags.pseudonymKeyFile ?? `${flags.db}.pseudonym-key`, env: process.env }),
        port: flags.port,
        host: flags.host,
        logger,
        log,
        // The first admin key is printed once to the operator (stderr, not the log), as Jupyter prints its token.
        announce: (line) => console.error(`fedrec serve: ${line}`),
        api: settings.api,
        serverLimits: { ...(flags.maxConnections ? { maxConnections: flags.maxConnections } : {}), ...(flags.requestTimeoutMs ? { requestTimeoutMs: flags.requestTimeoutMs } : {}) },
        onRound: (r) => logger.info({ round: r.round, clients: r.clients, loss: r.loss, epsilon: r.epsilon }, `round ${r.round}: ${r.clients} clients, loss ${r.loss.toFixed(3)}${r.epsilon !== null ? `, ε ${r.epsilon.toFixed(3)}` : ''}`),
      });
      if (flags.privacyBudget) await server.coordinator.setPrivacyBudget(flags.privacyBudget);
      console.log(`fedrec coordinator listening on ${server.url}`);
      const resuming = resumeWhenClientsConnect(server, store, log);
      const signal = await untilSignal();
      logger.info(`${signal}: stopping (running jobs stay resumable, requests in flight get ${flags.drainMs} ms)`);
      resuming.cancel();
      await server.close({ drainMs: flags.drainMs });
      logger.info('stopped');
      return 0;
    } finally {
      await store.close();
      logger.flush();
      uninstallGuards();
    }
  },
};

/**
 * Resumes the jobs left running once the most any of them needs of clients is connected: a round
 * invites the clients connected when it starts, so resuming into an empty coordinator would spend
 * the round's whole deadline waiting for nobody.
 */
function resumeWhenClientsConnect(server: FedrecServer, store: FedrecStore, log: (line: string) => void): { cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  let cancelled = false;
  void (async () => {
    const waiting = (await store.listJobs()).filter((j) => j.status === 'running');
    if (waiting.length === 0 || cancelled) return;
    const needed = Math.max(...waiting.map((j) => (j.config as unknown as StoredJobConfig).config.minClients));
    log(`${waiting.length} job(s) to resume (${waiting.map((j) => `${j.id} after round ${j.completedRounds}`).join(', ')}) once ${needed} client(s) are connected`);
    const check = async (): Promise<void> => {
      if (cancelled) return;
      if (server.coordinator.connectedPopulation().clients < needed) {
        timer = setTimeout(() => void check(), resumePollMs);
        return;
      }
      // The resumed jobs run on: a failure of one is logged, never an unhandled rejection.
      for (const { jobId, done } of await server.coordinator.resumeJobs()) done.catch((thrown: unknown) => log(`job ${jobId} failed: ${thrown instanceof Error ? thrown.message : String(thrown)}`));
    };
    await check();
  })().catch((thrown: unknown) => log(`could not resume jobs: ${thrown instanceof Error ? thrown.message : String(thrown)}`));
  return {
    cancel() {
      cancelled = true;
      clearTimeout(timer);
    },
  };
}
