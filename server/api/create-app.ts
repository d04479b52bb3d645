/**
 * The API app: express 5 with, in order, the request log (pino-http, request id), the request
 * duration histogram, security headers (helmet), CORS, the rate limiters, the route table, a 404
 * for anything else and the one error handler. What each does and why is in its own file.
 */
import express, { type Express } from 'express';
import { defaultMinCohort, defaultSealNoiseStd, ExposureRecorder } from '../exposure/index.ts';
import type { RandomSource } from '../privacy/index.ts';
import { createLogger, logLevelFromEnv, type Logger } from '../operations/logger.ts';
import { modelServed, storeReachable, type ReadinessCheck } from '../operations/readiness.ts';
import { requestLogging } from '../operations/request-logging.ts';
import { ServiceMetrics } from '../operations/service-metrics.ts';
import type { Coordinator } from '../rounds/index.ts';
import { ModelLifecycle } from '../governance/index.ts';
import { prepareServing, type ServedModel } from '../serving/index.ts';
import type { FedrecStore } from '../store/index.ts';
import { generatePseudonymKey, type PseudonymKey } from '../shoppers/index.ts';
import { HoldoutAssigner, IssuedRecommendationLog } from '../measurement/index.ts';
import { corsPolicy } from './cors-policy.ts';
import { mountDashboard } from './dashboard-page.ts';
import { errorHandler, mountRoutes, notFound } from './express-adapter.ts';
import { rateLimiters, type RateLimits } from './rate-limits.ts';
import { requestMetrics } from './request-metrics.ts';
import { routes } from './route-table.ts';
import type { MetricsAccess } from './route.ts';
import { securityHeaders } from './security-headers.ts';

/** The express app, and the routes it serves (`get /v1/catalog/:itemId`). */
export type ApiApp = Express & { readonly served: readonly string[]; readonly metrics: ServiceMetrics; readonly logger: Logger };

export interface AppOptions {
  store: FedrecStore;
  servedModel: ServedModel;
  /** The round engine, when the API runs inside a coordinator; without it the job routes answer 503. */
  coordinator?: Coordinator;
  /**
   * Merchant-view counters. Pass your own to close it on shutdown (pending counts are written on
   * close); the default one flushes on its timer only.
   */
  exposure?: ExposureRecorder;
  /** Smallest cohort the merchant view shows. */
  minCohort?: number;
  /** σ on each merchant-view counter when its day is sealed (default `defaultSealNoiseStd`; tests of the arithmetic use 0). */
  sealNoiseStd?: number;
  /** Noise source for sealing (default: the OS CSPRNG). */
  random?: RandomSource;
  /** Approvals and kills; by default one over `store` that switches `servedModel`. Share one per served model. */
  lifecycle?: ModelLifecycle;
  /** Largest JSON body, in bytes, for routes that set no limit of their own. */
  bodyLimit?: number;
  clock?: () => Date;
  /** The structured log (default: JSON lines on stderr at FEDREC_LOG_LEVEL, or silent when `log` is given). */
  logger?: Logger;
  /** Also told of every unexpected failure (the response reveals nothing of them). */
  log?: (error: unknown) => void;
  /** The `/metrics` registry (default: a new one with the process metrics). */
  metrics?: ServiceMetrics;
  /** Who may read `/metrics`: `roles` (default: engineer or admin keys, as its route declares) or `open`. */
  metricsAccess?: MetricsAccess;
  /** Origins allowed to call the API from a browser (default none: CORS closed). */
  corsOrigins?: readonly string[];
  rateLimits?: Partial<RateLimits>;
  /** What `/readyz` checks besides the store and the served model (a refused model, say). */
  readinessChecks?: readonly ReadinessCheck[];
  /**
   * The shoppers' pseudonym key (`loadPseudonymKey`). Default: a fresh random key held in memory
   * only, so stored shopper choices cannot be found again after a restart (tests; servers pass theirs).
   */
  pseudonymKey?: PseudonymKey;
  /** Days a `not-relevant` feedback hides the item from that shopper (default 30). */
  notRelevantDays?: number;
  /**
   * Recommendations issued to named shoppers. Pass your own to close it on shutdown (pending ones
   * are written on close); the default one flushes on its timer only.
   */
  issued?: IssuedRecommendationLog;
  /** `trust proxy` (express): which proxies' X-Forwarded-For gives the client address. Default: none. */
  trustProxy?: boolean | number | string;
}

/**
 * @example http.createServer(createApp({ store, servedModel: await loadServedModel(store) })).listen(3000);
 */
export function createApp(options: AppOptions): ApiApp {
  const logger = options.logger ?? createLogger({ level: options.log ? 'silent' : logLevelFromEnv() });
  const metrics = options.metrics ?? new ServiceMetrics();
  const metricsAccess = options.metricsAccess ?? 'roles';
  const clock = options.clock ?? (() => new Date());
  const services = {
    store: options.store,
    servedModel: options.servedModel,
    exposure: options.exposure ?? new ExposureRecorder(options.store, { onError: (error) => logger.error({ err: error }, 'merchant-view counters lost') }),
    minCohort: options.minCohort ?? defaultMinCohort,
    seal: { noiseStd: options.sealNoiseStd ?? defaultSealNoiseStd, random: options.random },
    clock,
    coordinator: options.coordinator,
    metrics,
    metricsAccess,
    logger,
    readinessChecks: [storeReachable(options.store), modelServed(options.servedModel), ...(options.readinessChecks ?? [])],
    lifecycle: options.lifecycle ?? new ModelLifecycle({ store: options.store, prepareServing: prepareServing(options.store, options.servedModel) }),
    pseudonymKey: options.pseudonymKey ?? generatePseudonymKey(),
    notRelevantDays: options.notRelevantDays ?? 30,
    holdout: new HoldoutAssigner({ store: options.store, clock }),
    issued: options.issued ?? new IssuedRecommendationLog(options.store, { onError: (error) => logger.error({ err: error }, 'issued recommendations lost') }),
  };
  const app = express();
  // ETags would hash every ~21 KB response for clients that never revalidate a POST.
  app.set('etag', false);
  app.set('trust proxy', options.trustProxy ?? false);
  app.use(requestLogging(logger), requestMetrics(metrics), securityHeaders(), corsPolicy(options.corsOrigins ?? []), ...rateLimiters(options.rateLimits));
  const served = mountRoutes(app, routes, services, { defaultBodyLimit: options.bodyLimit ?? 256 * 1024, metricsAccess });
  mountDashboard(app);
  app.use(notFound);
  app.use(
    errorHandler(routes, (error, req) => {
      // The redacting logger (request-logging.ts: the access lines' own logger does not redact).
      logger.error({ err: error, reqId: req.id }, 'unexpected failure');
      options.log?.(error);
    }),
  );
  return Object.assign(app, { served, metrics, logger });
}
