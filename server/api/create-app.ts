/** The API app: the route table over node:http, with its services and error logging. */
import { defaultMinCohort, ExposureRecorder } from '../exposure/index.ts';
import type { Coordinator } from '../rounds/index.ts';
import { ModelLifecycle } from '../governance/index.ts';
import { prepareServing, type ServedModel } from '../serving/index.ts';
import type { FedrecStore } from '../store/index.ts';
import { httpAdapter, type ApiApp } from './http-adapter.ts';
import { routes } from './route-table.ts';

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
  /** Approvals and kills; by default one over `store` that switches `servedModel`. Share one per served model. */
  lifecycle?: ModelLifecycle;
  /** Largest JSON body, in bytes, for routes that set no limit of their own. */
  bodyLimit?: number;
  clock?: () => Date;
  /** Where unexpected failures are logged (the response reveals nothing of them). */
  log?: (error: unknown) => void;
}

/**
 * @example http.createServer(createApp({ store, servedModel: await loadServedModel(store) })).listen(3000);
 */
export function createApp(options: AppOptions): ApiApp {
  const services = {
    store: options.store,
    servedModel: options.servedModel,
    exposure: options.exposure ?? new ExposureRecorder(options.store),
    minCohort: options.minCohort ?? defaultMinCohort,
    clock: options.clock ?? (() => new Date()),
    coordinator: options.coordinator,
    lifecycle: options.lifecycle ?? new ModelLifecycle({ store: options.store, prepareServing: prepareServing(options.store, options.servedModel) }),
  };
  return httpAdapter(routes, services, {
    defaultBodyLimit: options.bodyLimit ?? 256 * 1024,
    log: options.log ?? ((error) => console.error('fedrec api: unexpected failure:', error)),
  });
}
