/**
 * The shopper-rights routes (role `app`: the retailer's app calls them for its signed-in shopper)
 * and the merchant's complaint rates. Handlers call `server/shoppers/` only; the raw shopper id
 * goes from the path or body straight into the pseudonym.
 */
import { complaintReport, sealPastDays, utcDay } from '../exposure/index.ts';
import { systemActor } from '../governance/index.ts';
import { eraseShopperData, exportShopperData, pseudonymize, readPreferences, submitFeedback, writePreferences } from '../shoppers/index.ts';
import { route, type ApiServices, type Route } from './route.ts';
import {
  complaintsQuery, complaintsResponse, erasureResponse, feedbackBody, feedbackResponse, preferencesResponse, putPreferencesBody, shopperDataResponse, shopperParams,
} from './shopper-schemas.ts';

const context = ({ store, pseudonymKey, clock }: ApiServices) => ({ store, pseudonymKey, clock });

export const shopperRoutes: readonly Route[] = [
  route({
    operationId: 'getShopperPreferences',
    method: 'get',
    path: '/v1/shoppers/:shopperId/preferences',
    tag: 'shoppers',
    roles: ['app'],
    summary: 'A shopper’s consent (opted-in, opted-out or never asked), do-not-target and exclusions',
    params: shopperParams,
    response: preferencesResponse,
    errors: [],
    handle: ({ params }, services) => readPreferences(context(services), params.shopperId),
  }),
  route({
    operationId: 'putShopperPreferences',
    method: 'put',
    path: '/v1/shoppers/:shopperId/preferences',
    tag: 'shoppers',
    roles: ['app'],
    summary: 'Replace a shopper’s preferences; a consent change is kept in the history and audited. The next request is served from them.',
    params: shopperParams,
    body: putPreferencesBody,
    response: preferencesResponse,
    errors: [],
    handle: ({ params, body, principal }, services) => writePreferences(context(services), params.shopperId, body, principal?.keyId ?? systemActor),
  }),
  route({
    operationId: 'getShopperData',
    method: 'get',
    path: '/v1/shoppers/:shopperId/data',
    tag: 'shoppers',
    roles: ['app'],
    summary: 'Everything fedrec holds about a shopper, machine-readable (GDPR Art. 15 and 20)',
    params: shopperParams,
    response: shopperDataResponse,
    errors: [],
    handle: ({ params }, services) => exportShopperData(context(services), params.shopperId),
  }),
  route({
    operationId: 'deleteShopper',
    method: 'delete',
    path: '/v1/shoppers/:shopperId',
    tag: 'shoppers',
    roles: ['app'],
    summary: 'Erase every record of a shopper (GDPR Art. 17); the receipt counts what was erased, by kind',
    params: shopperParams,
    response: erasureResponse,
    errors: [],
    handle: async ({ params, principal }, services) => {
      // Recommendations issued to the shopper and still batched in memory are written first, so the
      // erasure removes them too; the cached holdout group goes, so a later visit is assigned (and stored) afresh.
      await services.issued.flush();
      services.holdout.forget(pseudonymize(services.pseudonymKey, params.shopperId));
      return eraseShopperData(context(services), params.shopperId, principal?.keyId ?? systemActor);
    },
  }),
  route({
    operationId: 'postFeedback',
    method: 'post',
    path: '/v1/feedback',
    tag: 'shoppers',
    roles: ['app'],
    summary: 'A shopper’s feedback on a recommended item: not-relevant (hidden for a while), never-show (suppressed for good), or a 1–5 rating',
    body: feedbackBody,
    response: feedbackResponse,
    errors: [],
    handle: ({ body }, services) =>
      submitFeedback(
        {
          ...context(services),
          exposure: services.exposure,
          notRelevantDays: services.notRelevantDays,
          knowsVersion: async (version) => services.servedModel.current()?.version === version || (await services.store.listModelVersions()).some((v) => v.version === version),
        },
        body,
      ),
  }),
  route({
    operationId: 'getComplaints',
    method: 'get',
    path: '/v1/merchant/complaints',
    tag: 'merchant',
    roles: ['merchant'],
    summary: 'Complaint rates per item, category and model version, per 1,000 recommendations served, from sealed (noised) days only; small cohorts withheld',
    query: complaintsQuery,
    response: complaintsResponse,
    errors: [],
    handle: async ({ query }, { store, exposure, seal, clock, minCohort }) => {
      await exposure.flush();
      await sealPastDays(store, utcDay(clock()), seal);
      return complaintReport(store, await store.listCatalog(), { fromDay: query.from, toDay: query.to }, minCohort);
    },
  }),
];
