/**
 * Every route of the REST API, in one table: the HTTP adapter serves exactly these, and the
 * OpenAPI document describes exactly these. Handlers only call the transport-free core.
 */
import { z } from 'zod';
import { FedrecError } from '../errors/index.ts';
import { itemExposureReport, recordRecommendations } from '../exposure/index.ts';
import { catalogEntry, putCatalog, recommend, storeRanking } from '../serving/index.ts';
import { catalogItemResponse, putCatalogBody, putCatalogResponse } from './catalog-schemas.ts';
import { itemParams } from './common-schemas.ts';
import { itemExplanationQuery, itemExplanationResponse } from './item-explanation-schemas.ts';
import { openApiDocument } from './openapi-document.ts';
import { recommendationRequest, recommendationResponse } from './recommendation-schemas.ts';
import { route, type Route } from './route.ts';
import { governanceRoutes } from './governance-routes.ts';
import { trainingRoutes } from './training-routes.ts';

let document: Record<string, unknown> | undefined;

export const routes: readonly Route[] = [
  route({
    operationId: 'getHealth',
    method: 'get',
    path: '/healthz',
    tag: 'operations',
    public: true,
    summary: 'Liveness, and which model version is served',
    response: z.object({ status: z.literal('ok'), modelVersion: z.int().nullable() }),
    errors: [],
    handle: (_, { servedModel }) => ({ status: 'ok' as const, modelVersion: servedModel.current()?.version ?? null }),
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
    handle: () => (document ??= openApiDocument(routes)),
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
    response: recommendationResponse,
    errors: ['unavailable'],
    handle: ({ body }, { servedModel, exposure, clock }) => {
      // Read once: a kill or an approval between here and the end cannot mix two versions.
      const snapshot = servedModel.current();
      if (!snapshot && servedModel.withdrawn) return storeRanking(servedModel.catalogItems(), body);
      const response = recommend(snapshot ?? servedModel.require(), body);
      recordRecommendations(exposure, response, clock());
      return response;
    },
  }),
  route({
    operationId: 'getItemExplanation',
    method: 'get',
    path: '/v1/items/:itemId/explanation',
    tag: 'merchant',
    roles: ['merchant'],
    summary: 'Why an item is recommended, over all shoppers and per segment (small cohorts withheld)',
    params: itemParams,
    query: itemExplanationQuery,
    response: itemExplanationResponse,
    errors: ['not-found'],
    handle: async ({ params: { itemId }, query }, { store, servedModel, exposure, minCohort }) => {
      const known = servedModel.current()?.itemIndex.has(itemId) || (await store.getCatalogItem(itemId)) !== undefined;
      if (!known) throw new FedrecError('not-found', `no item "${itemId}" in the catalogue or the served model`);
      // Counters are batched off the hot path; a reader should see every recommendation made so far.
      await exposure.flush();
      return itemExposureReport(store, { itemId, storeId: query.store, segment: query.segment, fromDay: query.from, toDay: query.to }, minCohort);
    },
  }),
  ...trainingRoutes,
  ...governanceRoutes,
];
