/** The API app: the route table over node:http, with its services and error logging. */
import { defaultMinCohort, defaultSealNoiseStd, ExposureRecorder } from '../exposure/index.ts';
import type { RandomSource } from '../privacy/index.ts';
import type { Coordinator } from '../rounds/index.ts';
import type { ServedModel } from '../serving/index.ts';
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
  /** σ on each merchant-view counter when its day is sealed (default `defaultSealNoiseStd`; tests of the arithmetic use 0). */
  sealNoiseStd?: number;
  /** Noise source for sealing (default: the OS CSPRNG). */
  random?: RandomSource;
  /**
   * The shared secret of operators (`Authorization: Bearer …`), which the catalogue upload and the
   * training routes require. Without one those routes answer 401.
   */
  operatorToken?: string;
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
    seal: { noiseStd: options.sealNoiseStd ?? defaultSealNoiseStd, random: options.random },
    clock: options.clock ?? (() => new Date()),
    coordinator: options.coordinator,
  };
  return httpAdapter(routes, services, {
    defaultBodyLimit: options.bodyLimit ?? 256 * 1024,
    operatorToken: options.operatorToken,
    log: options.log ?? ((error) => console.error('fedrec api: unexpected failure:', error)),
  });
}
