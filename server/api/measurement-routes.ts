/**
 * The measurement routes: the app's outcome events, the merchant's uplift and fairness reports,
 * the scorecard, and the admin's measurement settings, guardrails and retention purge. Handlers
 * call `server/measurement/` only.
 */
import { sealPastDays, utcDay } from '../exposure/index.ts';
import {
  checkGuardrails, fairnessReport, ingestOutcomeEvents, purgeExpiredEvents, readGuardrailSettings, readMeasurementSettings, renderScorecardMarkdown, reportPeriod, scorecard, upliftReport,
  writeGuardrailSettings, writeMeasurementSettings,
} from '../measurement/index.ts';
import {
  eventsBody, eventsResponse, fairnessResponse, guardrailCheckResponse, guardrailSettingsBody, guardrailSettingsResponse, measurementSettingsBody, measurementSettingsResponse, periodQuery,
  retentionResponse, scorecardQuery, scorecardResponse, upliftResponse,
} from './measurement-schemas.ts';
import { route, type ApiServices, type Route } from './route.ts';

/** Counters are batched off the hot path: what ended days counted is written, then those days sealed (once, noised). */
async function sealed({ store, exposure, seal, clock }: ApiServices): Promise<void> {
  await exposure.flush();
  await sealPastDays(store, utcDay(clock()), seal);
}

export const measurementRoutes: readonly Route[] = [
  route({
    operationId: 'postEvents',
    method: 'post',
    path: '/v1/events',
    tag: 'measurement',
    roles: ['app'],
    summary: 'Outcome events (impressions, clicks, add-to-carts, purchases), batched; checked against the catalogue and the recommendations this server issued, all or nothing',
    body: eventsBody,
    bodyLimit: 1024 * 1024,
    response: eventsResponse,
    errors: [],
    handle: ({ body }, services) =>
      ingestOutcomeEvents(
        { store: services.store, pseudonymKey: services.pseudonymKey, clock: services.clock, catalog: () => services.servedModel.catalogItems(), holdout: services.holdout, issued: services.issued, exposure: services.exposure },
        body.events,
      ),
  }),
  route({
    operationId: 'getUpliftReport',
    method: 'get',
    path: '/v1/reports/uplift',
    tag: 'reports',
    roles: ['merchant', 'admin', 'approver'],
    summary: 'Personalised (treatment) against holdout: shoppers, conversion, revenue per shopper, click-through, the differences with 95% intervals (Newcombe, Welch) and the CUPED-adjusted estimate',
    query: periodQuery,
    response: upliftResponse,
    errors: [],
    handle: async ({ query }, services) => {
      const { currency } = await readMeasurementSettings(services.store);
      return upliftReport(services.store, reportPeriod(services.clock(), query.from, query.to), { minCohort: services.minCohort, currency });
    },
  }),
  route({
    operationId: 'getFairnessReport',
    method: 'get',
    path: '/v1/reports/fairness',
    tag: 'reports',
    roles: ['merchant', 'admin', 'approver'],
    summary: 'Position-weighted exposure share by item group (category, brand, price band, new or established) against catalogue and purchase share, from sealed (noised) days; the largest gap named; recall@10 by shopper segment from the serving version’s DP federated evaluation, with its largest gap',
    query: periodQuery,
    response: fairnessResponse,
    errors: [],
    handle: async ({ query }, services) => {
      await sealed(services);
      const serving = (await services.lifecycle.list()).find((m) => m.state === 'serving') ?? null;
      return fairnessReport(services.store, services.servedModel.catalogItems(), reportPeriod(services.clock(), query.from, query.to), serving);
    },
  }),
  route({
    operationId: 'getScorecard',
    method: 'get',
    path: '/v1/reports/scorecard',
    tag: 'reports',
    roles: ['merchant', 'admin', 'approver'],
    summary: 'The ethics scorecard for a period: consent rates and trend, complaint rate, suppression list, ε, uplift, the largest fairness gap, the approval record and the audit chain',
    query: scorecardQuery,
    response: scorecardResponse,
    errors: [],
    handle: async ({ query }, services) => {
      await sealed(services);
      const { currency } = await readMeasurementSettings(services.store);
      const now = services.clock();
      const card = await scorecard({ store: services.store, lifecycle: services.lifecycle, catalog: services.servedModel.catalogItems(), minCohort: services.minCohort, currency }, reportPeriod(now, query.from, query.to), now);
      return query.format === 'md' ? { ...card, markdown: renderScorecardMarkdown(card) } : card;
    },
  }),
  route({
    operationId: 'getMeasurementSettings',
    method: 'get',
    path: '/v1/measurement/settings',
    tag: 'measurement',
    roles: ['admin', 'merchant', 'approver'],
    summary: 'The holdout share, the events’ retention window and the deployment’s currency',
    response: measurementSettingsResponse,
    errors: [],
    handle: (_, { store }) => readMeasurementSettings(store),
  }),
  route({
    operationId: 'putMeasurementSettings',
    method: 'put',
    path: '/v1/measurement/settings',
    tag: 'measurement',
    roles: ['admin'],
    summary: 'Change measurement settings (audited with before and after); a new holdout share applies to shoppers not yet assigned only',
    body: measurementSettingsBody,
    response: measurementSettingsResponse,
    errors: [],
    handle: ({ body, principal }, { store }) => writeMeasurementSettings(store, body, principal!.keyId),
  }),
  route({
    operationId: 'getGuardrails',
    method: 'get',
    path: '/v1/guardrails',
    tag: 'measurement',
    roles: ['admin', 'approver'],
    summary: 'The guardrails in force and how often they are checked',
    response: guardrailSettingsResponse,
    errors: [],
    handle: (_, { store }) => readGuardrailSettings(store),
  }),
  route({
    operationId: 'putGuardrails',
    method: 'put',
    path: '/v1/guardrails',
    tag: 'measurement',
    roles: ['admin'],
    summary: 'Replace the guardrails (audited): opt-out or complaint rate over a window, above the holdout’s or the previous model’s by at most maxExcess',
    body: guardrailSettingsBody,
    response: guardrailSettingsResponse,
    errors: [],
    handle: ({ body, principal }, { store }) => writeGuardrailSettings(store, body, principal!.keyId),
  }),
  route({
    operationId: 'checkGuardrails',
    method: 'post',
    path: '/v1/guardrails/check',
    tag: 'measurement',
    roles: ['admin', 'approver'],
    summary: 'Check every guardrail now; a crossed one kills the serving model (audited with its figures) and serving falls back',
    response: guardrailCheckResponse,
    errors: [],
    handle: (_, { store, lifecycle, clock }) => checkGuardrails({ store, lifecycle, clock }),
  }),
  route({
    operationId: 'purgeEvents',
    method: 'post',
    path: '/v1/measurement/retention',
    tag: 'measurement',
    roles: ['admin'],
    summary: 'Purge outcome events and issued recommendations older than the retention window now (the server also does on its schedule)',
    response: retentionResponse,
    errors: [],
    handle: ({ principal }, { store, clock }) => purgeExpiredEvents(store, clock(), principal!.keyId),
  }),
];
