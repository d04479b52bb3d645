/**
 * The whole server on one port, as `fedrec serve` and `fedrec demo` run it: the socket.io round
 * adapter and the REST API (recommendations, merchant view, training jobs, oversight, operations)
 * on one HTTP server over one store. A released model version is a candidate: it serves once an
 * approver approves it (`server/governance/model-lifecycle.ts`), never by being released. Every
 * round feeds `/metrics`.
 */
import { createApp, type AppOptions } from '../api/index.ts';
import { ExposureRecorder } from '../exposure/index.ts';
import { bootstrapAdminKey, ModelLifecycle } from '../governance/index.ts';
import { checkGuardrails, fairnessGapProbe, IssuedRecommendationLog, purgeExpiredEvents, scheduleGuardrails } from '../measurement/index.ts';
import { createLogger, logLevelFromEnv, type Logger } from '../operations/logger.ts';
import type { ServerLimits } from '../operations/server-limits.ts';
import { ServiceMetrics } from '../operations/service-metrics.ts';
import { DashboardSocketServer } from '../realtime/index.ts';
import type { RoundSummary } from '../rounds/index.ts';
import { loadServedModel, prepareServing, type ServedModel } from '../serving/index.ts';
import type { FedrecStore } from '../store/fedrec-store.ts';
import type { PseudonymKey } from '../shoppers/index.ts';
import { startCoordinator, type CoordinatorHost } from './start-coordinator.ts';

export interface FedrecServer extends CoordinatorHost {
  servedModel: ServedModel;
  metrics: ServiceMetrics;
  logger: Logger;
  lifecycle: ModelLifecycle;
  /** The dashboard's socket.io namespace (round events for engineer and admin keys). */
  dashboard: DashboardSocketServer;
  /** The admin key created on this start (an empty store), or null. */
  createdAdminKeyId: string | null;
}

/** The API's settings a server passes through (see `createApp`). */
export type ApiSettings = Pick<AppOptions, 'corsOrigins' | 'rateLimits' | 'metricsAccess' | 'readinessChecks' | 'trustProxy' | 'bodyLimit'>;

export interface FedrecServerOptions {
  store: FedrecStore;
  port: number;
  host?: string;
  onRound?: (summary: RoundSummary) => void;
  /** The structured log (default: JSON lines on stderr at FEDREC_LOG_LEVEL). */
  logger?: Logger;
  /** Where the coordinator's own lines go (default: the logger, at info). */
  log?: (line: string) => void;
  api?: ApiSettings;
  serverLimits?: Partial<ServerLimits>;
  /** Where a secret shown once (the first admin key) and startup advice go (default `log` when given, else stderr), never the structured log. */
  announce?: (line: string) => void;
  /** The shoppers' pseudonym key (`loadPseudonymKey`); default a random one held in memory only. */
  pseudonymKey?: PseudonymKey;
  /** Fixed interval of the guardrail check and the retention purge (default: the guardrail settings' `checkEveryMinutes`). */
  guardrailCheckMs?: number;
  /** Where FEDREC_ADMIN_KEY (the first admin key) and a leftover FEDREC_OPERATOR_TOKEN are read; default process.env. */
  env?: Record<string, string | undefined>;
}

/**
 * Serves the version in `serving` (if any), creates the first admin key on an empty store, and
 * starts the coordinator with the API mounted.
 * Closing stops the jobs (they stay resumable), the wire, then writes pending exposure counters;
 * the store is the caller's to close.
 * @example const server = await startFedrecServer({ store: openStore('fedrec.db'), port: 3000 }); server.logger.info({ url: server.url }, 'listening');
 */
export async function startFedrecServer(options: FedrecServerOptions): Promise<FedrecServer> {
  const logger = options.logger ?? createLogger({ level: options.log ? 'silent' : logLevelFromEnv() });
  const log = options.log ?? ((line: string) => logger.info(line));
  const metrics = new ServiceMetrics();
  const servedModel = await loadServedModel(options.store);
  const exposure = new ExposureRecorder(options.store, { onError: (error) => logger.error({ err: error }, 'merchant-view counters lost') });
  // Set once the HTTP server exists; rounds cannot finish before that.
  let dashboard: DashboardSocketServer | undefined;
  const onRound = (summary: RoundSummary): void => {
    dashboard?.publishRound(summary).catch((error: unknown) => logger.error({ err: error }, 'dashboard round event not sent'));
    metrics.recordRound({ jobId: summary.jobId ?? 'unknown', clients: summary.clients, invited: summary.invited, abandoned: summary.abandoned, epsilon: summary.epsilon, wallMs: summary.timing?.wallMs });
    options.onRound?.(summary);
  };
  // The first admin key is shown once, to the operator's terminal, never into the structured log.
  const createdAdminKeyId = await bootstrapAdminKey(options.store, options.env ?? process.env, options.announce ?? options.log ?? ((line) => process.stderr.write(`${line}\n`)));
  const lifecycle = new ModelLifecycle({ store: options.store, prepareServing: prepareServing(options.store, servedModel), measureFairnessGap: (version) => fairnessGapProbe(options.store, servedModel, version, new Date()) });
  const issued = new IssuedRecommendationLog(options.store, { onError: (error) => logger.error({ err: error }, 'issued recommendations lost') });
  // Guardrails and the events' retention on one schedule; a failure is logged, never thrown.
  const stopSchedule = scheduleGuardrails(
    async () => {
      const { killed } = await checkGuardrails({ store: options.store, lifecycle, clock: () => new Date() });
      if (killed) logger.warn({ killed }, 'a guardrail killed the serving model');
      await purgeExpiredEvents(options.store, new Date());
    },
    options.store,
    (error) => logger.error({ err: error }, 'guardrail check failed'),
    options.guardrailCheckMs,
  );
  const host = await startCoordinator({
    store: options.store,
    port: options.port,
    host: options.host,
    log,
    onRound,
    // However the job started (over REST, or resumed by `fedrec serve`), its failure is one error line.
    onJobFailed: (jobId, error) => logger.error({ err: error, job: jobId }, 'training job failed'),
    serverLimits: options.serverLimits,
    app: (coordinator) =>
      createApp({
        ...options.api,
        store: options.store,
        servedModel,
        exposure,
        issued,
        coordinator,
        lifecycle,
        logger,
        metrics,
        pseudonymKey: options.pseudonymKey,
        log: options.log ? (error) => log(`fedrec api: unexpected failure: ${error instanceof Error ? error.message : String(error)}`) : undefined,
      }),
  });
  metrics.countRejectionsFrom(() => host.coordinator.rejections());
  metrics.countAbandonmentsFrom(() => host.coordinator.abandonments());
  dashboard = new DashboardSocketServer(host.http, options.store);
  return {
    ...host,
    servedModel,
    metrics,
    logger,
    lifecycle,
    createdAdminKeyId,
    dashboard,
    async close(closeOptions) {
      stopSchedule();
      dashboard?.close();
      await host.close(closeOptions);
      await exposure.close();
      await issued.close();
    },
  };
}
