/**
 * A route as data: method, path, the zod schemas of its inputs and its response, the errors it can
 * answer, and a transport-free handler. The HTTP adapter and the OpenAPI document are both built
 * from one table of these (`route-table.ts`), so neither can drift from the other.
 */
import type { z } from 'zod';
import type { ErrorCode } from '../errors/index.ts';
import type { ExposureRecorder, SealOptions } from '../exposure/index.ts';
import type { Logger } from '../operations/logger.ts';
import type { ReadinessCheck } from '../operations/readiness.ts';
import type { ServiceMetrics } from '../operations/service-metrics.ts';
import type { ModelLifecycle, Principal, RouteAccess } from '../governance/index.ts';
import type { Coordinator } from '../rounds/index.ts';
import type { ServedModel } from '../serving/index.ts';
import type { FedrecStore } from '../store/index.ts';
import type { PseudonymKey } from '../shoppers/index.ts';
import type { HoldoutAssigner, IssuedRecommendationLog } from '../measurement/index.ts';

/** What handlers may use. */
export interface ApiServices {
  store: FedrecStore;
  servedModel: ServedModel;
  exposure: ExposureRecorder;
  minCohort: number;
  /** How the merchant view's days are sealed (σ per counter, the noise source). */
  seal: SealOptions;
  clock: () => Date;
  /** The round engine, when the API runs inside a coordinator (`fedrec serve`); the job routes need it. */
  coordinator?: Coordinator;
  /** The `/metrics` registry, fed by the routes and the host. */
  metrics: ServiceMetrics;
  /** What `/readyz` asks; each check names why the server is not ready. */
  readinessChecks: readonly ReadinessCheck[];
  /** Whether `/metrics` is open or needs a key of a role its route allows (the OpenAPI document says which). */
  metricsAccess: MetricsAccess;
  /** For what a handler starts and does not await (a job's rounds): its failure is logged, never left unhandled. */
  logger: Logger;
  /** Approvals and kills; switches what `servedModel` serves. */
  lifecycle: ModelLifecycle;
  /** Shoppers' pseudonyms are HMACs under this key (`server/shoppers/pseudonym-key.ts`); it never enters the store. */
  pseudonymKey: PseudonymKey;
  /** Days a `not-relevant` feedback hides the item from that shopper. */
  notRelevantDays: number;
  /** Named shoppers' holdout groups (`server/measurement/holdout-assignment.ts`). */
  holdout: HoldoutAssigner;
  /** Recommendations issued to named shoppers, batched to the store; impressions are checked against them. */
  issued: IssuedRecommendationLog;
}

/** Who may read `/metrics`: anyone who reaches the port, or keys of the roles its route declares. */
export type MetricsAccess = 'open' | 'roles';

type Schema = z.ZodType | undefined;
type Parsed<S extends Schema> = S extends z.ZodType ? z.output<S> : undefined;

export type RouteDefinition<P extends Schema, Q extends Schema, B extends Schema, R extends z.ZodType, H extends Schema = undefined> = RouteFields<P, Q, B, R, H> & RouteAccess;

interface RouteFields<P extends Schema, Q extends Schema, B extends Schema, R extends z.ZodType, H extends Schema> {
  operationId: string;
  method: 'get' | 'put' | 'post' | 'delete';
  /** Literal segments and `:name` params (`/v1/catalog/:itemId`). */
  path: string;
  tag: string;
  summary: string;
  // Access (`roles: [...]` or `public: true`, one of the two on every route) comes from RouteAccess:
  // the adapter calls `authorize` with it before it reads a body, and OpenAPI documents it.
  /** `metrics`: the server's `metricsAccess` setting may open this route to anyone (`/metrics`). */
  openable?: 'metrics';
  params?: P;
  query?: Q;
  body?: B;
  /**
   * Request headers the handler reads (`Sec-GPC`), as a zod object over lower-case names: the
   * adapter validates them with the rest of the input, and OpenAPI documents them, so the table
   * stays transport-free.
   */
  headers?: H;
  /** Largest accepted body, in bytes (inflated); defaults to the app's limit. */
  bodyLimit?: number;
  /**
   * `binary`: the body is raw bytes (application/octet-stream), validated by `body` as a
   * Uint8Array; `binary` responses are a Uint8Array sent the same way. Model weights travel so,
   * never as JSON numbers. `text` responses are `{ contentType, text }` (the Prometheus
   * exposition). Default `json`.
   */
  bodyType?: 'json' | 'binary';
  responseType?: 'json' | 'binary' | 'text';
  response: R;
  /** Error codes the route can answer besides internal, rate-limited, invalid-input (any input) and payload-too-large (any body), which OpenAPI lists for it anyway. */
  errors: readonly ErrorCode[];
  handle(input: { params: Parsed<P>; query: Parsed<Q>; body: Parsed<B>; headers: Parsed<H>; principal: Principal | undefined }, services: ApiServices): z.input<R> | Promise<z.input<R>>;
}

export type Route = RouteDefinition<Schema, Schema, Schema, z.ZodType, Schema>;

/** Type-checks a route against its own schemas, then erases the types for the table. */
export function route<P extends Schema = undefined, Q extends Schema = undefined, B extends Schema = undefined, R extends z.ZodType = z.ZodType, H extends Schema = undefined>(
  definition: RouteDefinition<P, Q, B, R, H>,
): Route {
  return definition as unknown as Route;
}

/**
 * Who may call `r` on a server with this `/metrics` setting: its declared access, except that an
 * `openable` route is public when the setting opens it. The adapter and the OpenAPI document both
 * ask this, so what is enforced and what is documented cannot differ.
 */
export function routeAccess(r: Route, metricsAccess: MetricsAccess): RouteAccess {
  return r.openable === 'metrics' && metricsAccess === 'open' ? { public: true } : r;
}
