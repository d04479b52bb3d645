/**
 * The whole server on one port, as `fedrec serve` and `fedrec demo` run it: the socket.io round
 * adapter and the REST API (recommendations, merchant view, training jobs, operations) on one HTTP
 * server over one store. Every released model version is swapped into serving at once, and every
 * round and release feeds `/metrics`.
 */
import type { ModelWeights } from '../../models/weights/model-weights.ts';
import { createApp, type AppOptions } from '../api/index.ts';
import { ExposureRecorder } from '../exposure/index.ts';
import { createLogger, logLevelFromEnv, type Logger } from '../operations/logger.ts';
import type { ServerLimits } from '../operations/server-limits.ts';
import { ServiceMetrics } from '../operations/service-metrics.ts';
import type { RoundSummary } from '../rounds/index.ts';
import { loadServedModel, type ServedModel } from '../serving/index.ts';
import type { FedrecStore } from '../store/fedrec-store.ts';
import { startCoordinator, type CoordinatorHost } from './start-coordinator.ts';

export interface FedrecServer extends CoordinatorHost {
  servedModel: ServedModel;
  metrics: ServiceMetrics;
  logger: Logger;
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
  /** The REST API's operator token (see `createApp`); without one its operator routes answer 401. */
  operatorToken?: string;
  api?: ApiSettings;
  serverLimits?: Partial<ServerLimits>;
}

/**
 * Serves the newest model version a training round released (if any), then each new release, and
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
  metrics.recordServedVersion(servedModel.current()?.version ?? 0);
  const exposure = new ExposureRecorder(options.store, { onError: (error) => logger.error({ err: error }, 'merchant-view counters lost') });
  const onRelease = (version: number, weights: ModelWeights): void => {
    // Serving a version is not part of releasing it: a snapshot that cannot be built (say, a
    // catalogue that lost items) is logged and the previous version keeps serving.
    try {
      servedModel.release(version, weights);
      metrics.recordServedVersion(version);
    } catch (thrown) {
      log(`serving kept its previous model: version ${version} could not be served (${thrown instanceof Error ? thrown.message : String(thrown)})`);
    }
  };
  const onRound = (summary: RoundSummary): void => {
    metrics.recordRound({ jobId: summary.jobId ?? 'unknown', clients: summary.clients, invited: summary.invited, epsilon: summary.epsilon, wallMs: summary.timing?.wallMs });
    options.onRound?.(summary);
  };
  const host = await startCoordinator({
    store: options.store,
    port: options.port,
    host: options.host,
    log,
    onRound,
    onRelease,
    serverLimits: options.serverLimits,
    app: (coordinator) =>
      createApp({
        ...options.api,
        store: options.store,
        servedModel,
        exposure,
        coordinator,
        operatorToken: options.operatorToken,
        logger,
        metrics,
        log: options.log ? (error) => log(`fedrec api: unexpected failure: ${error instanceof Error ? error.message : String(error)}`) : undefined,
      }),
  });
  metrics.countRejectionsFrom(() => host.coordinator.rejections());
  return {
    ...host,
    servedModel,
    metrics,
    logger,
    async close(closeOptions) {
      await host.close(closeOptions);
      await exposure.close();
    },
  };
}
