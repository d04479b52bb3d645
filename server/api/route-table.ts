/**
 * Every route of the REST API, in one table: the HTTP adapter serves exactly these, and the
 * OpenAPI document describes exactly these. Handlers only call the transport-free core.
 */
import { z } from 'zod';
import { FedrecError } from '../errors/index.ts';
import { readiness } from '../operations/readiness.ts';
import { itemExposureReport, recordRecommendations, sealPastDays, utcDay } from '../exposure/index.ts';
import { catalogEntry, putCatalog, recommend, storeRanking } from '../serving/index.ts';
import { catalogItemResponse, putCatalogBody, putCatalogResponse } from './catalog-schemas.ts';
import { itemParams } from './common-schemas.ts';
import { itemExplanationQuery, itemExplanationResponse } from './item-explanation-schemas.ts';
import { openApiDocument } from './openapi-document.ts';
import { privacyRoutes } from './privacy-routes.ts';
import { recommendationRequest, recommendationResponse } from './recommendation-schemas.ts';
import { route, type Route } from './route.ts';
import { governanceRoutes } from './governance-routes.ts';
import { trainingRoutes } from './training-routes.ts';
import { shopperRoutes } from './shopper-routes.ts';
import { measurementRoutes } from './measurement-routes.ts';
import { newRecommendationId } from '../measurement/index.ts';
import { whoamiRoute } from './whoami-route.ts';
import { catalogSearchRoute } from './catalog-search-route.ts';
import { gpcHeaders } from './shopper-schemas.ts';
import { pseudonymize, servingChoices, storedChoices } from '../shoppers/index.ts';

const documents = new Map<string, Record<string, unknown>>();

export const routes: readonly Route[] = [
  route({
    operationId: 'getHealth',
    method: 'get',
    path: '/healthz',
    tag: 'operations',
    public: true,
    summary: 'Liveness: the process answers (it checks nothing else, so a store outage does not get it restarted); and which model version is served',
    response: z.object({ status: z.literal('ok'), modelVersion: z.int().nullable() }),
    errors: [],
    handle: (_, { servedModel }) => ({ status: 'ok' as const, modelVersion: servedModel.current()?.version ?? null }),
  }),
  route({
    operationId: 'getReadiness',
    method: 'get',
    path: '/readyz',
    tag: 'operations',
    public: true,
    summary: 'Readiness: the store is reachable and a model version is served; 503 with the reasons otherwise',
    response: z.object({
      status: z.literal('ready'),
      checks: z.array(z.object({ name: z.string(), ready: z.literal(true) })),
      servingRefusal: z
        .object({ version: z.int(), reason: z.string(), at: z.string() })
        .nullable()
        .describe('The last model version serving refused to load (non-finite weights), kept until the process restarts; null when none was.'),
    }),
    errors: ['unavailable'],
    handle: async (_, { readinessChecks, servedModel }) => {
      const { ready, checks } = await readiness(readinessChecks);
      const failing = checks.filter((c) => !c.ready);
      if (!ready) throw new FedrecError('unavailable', `not ready: ${failing.map((c) => c.reason).join('; ')}`, failing.map((c) => ({ path: ['readiness', c.name], message: c.reason ?? 'not ready' })));
      return { status: 'ready' as const, checks: checks.map((c) => ({ name: c.name, ready: true as const })), servingRefusal: servedModel.readiness().refusal };
    },
  }),
  route({
    operationId: 'getMetrics',
    method: 'get',
    path: '/metrics',
    tag: 'operations',
    // Operators' by default; `--metrics open` (metricsAccess) opens it to a scraper without a key.
    roles: ['engineer', 'admin'],
    openable: 'metrics',
    summary: 'Prometheus metrics (text exposition format): requests, rounds, clients per round, ε per job, the served version, recommendations, process',
    response: z.object({ contentType: z.string(), text: z.string() }),
    responseType: 'text',
    errors: [],
    handle: async (_, { metrics, servedModel }) => {
      metrics.recordServedVersion(servedModel.current()?.version ?? 0);
      return metrics.render();
    },
  }),
  route({
    operationId: 'getOpenApi',
    method: 'get',
    path: '/openapi.json',
    tag: 'operations',
    public: true,
    summary: 'This OpenAPI 3.1 document, generated from the routes’ zod schemas',
    response: z.record(z.string(), z.unknown()),
    errors: [],
    handle: (_, { metricsAccess }) => {
      if (!documents.has(metricsAccess)) documents.set(metricsAccess, openApiDocument(routes, { metricsAccess }));
      return documents.get(metricsAccess)!;
    },
  }),
  route({
    operationId: 'getModel',
    method: 'get',
    path: '/v1/model',
    tag: 'model',
    roles: ['app', 'engineer', 'approver'],
    summary: 'The model version being served',
    response: z.object({
      version: z.int(),
      releasedAt: z.string(),
      items: z.int().describe('Items the model knows.'),
      scorableItems: z.int().describe('Of those, items the catalogue describes (the ones that can be recommended).'),
      stores: z.int(),
      categories: z.int(),
      historyLength: z.int().describe('How many most recent purchases the model reads.'),
    }),
    errors: ['unavailable'],
    handle: (_, { servedModel }) => {
      const { version, releasedAt, meta, unscorable } = servedModel.require();
      const { shape } = meta;
      return { version, releasedAt, items: shape.items, scorableItems: shape.items - unscorable.length, stores: shape.stores, categories: shape.categories, historyLength: shape.historyLength };
    },
  }),
  route({
    operationId: 'putCatalog',
    method: 'put',
    path: '/v1/catalog',
    tag: 'catalogue',
    roles: ['engineer'],
    summary: 'Insert or update catalogue items (bulk, all or nothing)',
    body: putCatalogBody,
    bodyLimit: 16 * 2 ** 20,
    response: putCatalogResponse,
    errors: [],
    handle: ({ body }, { store, servedModel }) => putCatalog(store, servedModel, body.items),
  }),
  route({
    operationId: 'getCatalogItem',
    method: 'get',
    path: '/v1/catalog/:itemId',
    tag: 'catalogue',
    roles: ['app', 'merchant', 'engineer'],
    summary: 'One catalogue item, and whether the served model can score it',
    params: itemParams,
    response: catalogItemResponse,
    errors: ['not-found'],
    handle: async ({ params }, { store, servedModel }) => {
      const entry = await catalogEntry(store, servedModel, params.itemId);
      if (!entry) throw new FedrecError('not-found', `no catalogue item "${params.itemId}"`);
      return entry;
    },
  }),
  route({
    operationId: 'postRecommendations',
    method: 'post',
    path: '/v1/recommendations',
    tag: 'recommendations',
    roles: ['app'],
    summary: 'Top-k recommendations for a shopper, each with exact attributions and a reason',
    body: recommendationRequest,
    headers: gpcHeaders,
    response: recommendationResponse,
    errors: ['unavailable'],
    handle: async ({ body, headers }, services) => {
      const { servedModel, exposure, clock, metrics } = services;
      const recommendationId = newRecommendationId();
      // Read from the store on every request (nothing cached), so a PUT that has answered is in force.
      const shopper = body.shopperId === undefined ? undefined : await storedChoices(services, body.shopperId);
      // A named shopper's group is fixed at first sight (cached after): the holdout gets the non-personalised ranking.
      const pseudonym = body.shopperId === undefined ? undefined : pseudonymize(services.pseudonymKey, body.shopperId);
      const group = pseudonym === undefined ? null : await services.holdout.groupOf(pseudonym);
      const choices = servingChoices({ personalization: body.personalization, exclude: body.exclude, excludeCategories: body.excludeCategories, globalPrivacyControl: headers['sec-gpc'] === '1', shopper, holdout: group === 'holdout', now: clock() });
      const experiment = { group };
      const request = {
        ...body,
        personalization: choices.personalization,
        nonPersonalizedBecause: choices.because,
        exclude: choices.excludeItems,
        excludeCategories: choices.excludeCategories,
        excludeBrands: choices.excludeBrands,
      };
      // Read once: a kill or an approval between here and the end cannot mix two versions.
      const snapshot = servedModel.current();
      if (!snapshot && servedModel.withdrawn) {
        metrics.recordRecommendation(false);
        const ranked = storeRanking(servedModel.catalogItems(), request);
        if (pseudonym !== undefined && group !== null) services.issued.add(recommendationId, pseudonym, group, null, ranked.items, clock());
        return { recommendationId, ...ranked, choices: choices.applied, experiment };
      }
      const response = recommend(snapshot ?? servedModel.require(), request);
      const now = clock();
      recordRecommendations(exposure, response, now);
      if (pseudonym !== undefined && group !== null) services.issued.add(recommendationId, pseudonym, group, response.modelVersion, response.items, now);
      metrics.recordRecommendation(response.personalized);
      return { recommendationId, ...response, choices: choices.applied, experiment };
    },
  }),
  route({
    operationId: 'getItemExplanation',
    method: 'get',
    path: '/v1/items/:itemId/explanation',
    tag: 'merchant',
    roles: ['merchant'],
    summary: 'Why an item is recommended, over all shoppers and per segment, from sealed (noised) days only; small cohorts withheld',
    params: itemParams,
    query: itemExplanationQuery,
    response: itemExplanationResponse,
    errors: ['not-found'],
    handle: async ({ params: { itemId }, query }, { store, servedModel, exposure, minCohort, seal, clock }) => {
      const known = servedModel.current()?.itemIndex.has(itemId) || (await store.getCatalogItem(itemId)) !== undefined;
      if (!known) throw new FedrecError('not-found', `no item "${itemId}" in the catalogue or the served model`);
      // Counters are batched off the hot path: what ended days counted is written, then those days are sealed (once, noised).
      await exposure.flush();
      await sealPastDays(store, utcDay(clock()), seal);
      return itemExposureReport(store, { itemId, storeId: query.store, segment: query.segment, fromDay: query.from, toDay: query.to }, minCohort);
    },
  }),
  ...trainingRoutes,
  ...privacyRoutes,
  ...governanceRoutes,
  ...shopperRoutes,
  ...measurementRoutes,
  whoamiRoute(() => routes),
  catalogSearchRoute,
];
