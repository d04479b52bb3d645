/**
 * The oversight routes: API keys (admin), the model lifecycle (list: engineer or approver;
 * approve and kill: approver), the promotion gates (admin sets, approvers read) and the audit
 * log (admin and approver). Handlers only call `server/governance/`.
 */
import { createApiKey, governanceSettingsSchema, keyView, readGovernanceSettings, revokeApiKey, settingsName, verifyAuditLog } from '../governance/index.ts';
import {
  approveResponse, auditListResponse, auditQuery, createdKeyResponse, createKeyBody, keyListResponse, keyParams, keyResponse, killResponse, modelListResponse, modelParams, reasonBody,
  settingsBody, settingsResponse, verifyQuery, verifyResponse,
} from './governance-schemas.ts';
import { route, type Route } from './route.ts';

export const governanceRoutes: readonly Route[] = [
  route({
    operationId: 'createKey',
    method: 'post',
    path: '/v1/keys',
    tag: 'governance',
    roles: ['admin'],
    summary: 'Create an API key with one role; the key is in this answer only',
    body: createKeyBody,
    response: createdKeyResponse,
    errors: [],
    handle: ({ body, principal }, { store }) => createApiKey(store, body, principal!.keyId),
  }),
  route({
    operationId: 'listKeys',
    method: 'get',
    path: '/v1/keys',
    tag: 'governance',
    roles: ['admin'],
    summary: 'Every API key (never the key or its hash)',
    response: keyListResponse,
    errors: [],
    handle: async (_, { store }) => ({ keys: (await store.listApiKeys()).map(keyView) }),
  }),
  route({
    operationId: 'revokeKey',
    method: 'post',
    path: '/v1/keys/:keyId/revoke',
    tag: 'governance',
    roles: ['admin'],
    summary: 'Revoke an API key: its next request fails',
    params: keyParams,
    response: keyResponse,
    errors: ['not-found', 'conflict'],
    handle: ({ params, principal }, { store }) => revokeApiKey(store, params.keyId, principal!.keyId),
  }),
  route({
    operationId: 'listModels',
    method: 'get',
    path: '/v1/models',
    tag: 'governance',
    roles: ['engineer', 'approver'],
    summary: 'Every model version with its lifecycle state, metrics, ε and approval record',
    response: modelListResponse,
    errors: [],
    handle: async (_, { lifecycle }) => ({ models: await lifecycle.list() }),
  }),
  route({
    operationId: 'approveModel',
    method: 'post',
    path: '/v1/models/:version/approve',
    tag: 'governance',
    roles: ['approver'],
    summary: 'Approve a version past the promotion gates: it serves from the next request, the previous one retires',
    params: modelParams,
    body: reasonBody,
    response: approveResponse,
    errors: ['not-found', 'conflict', 'forbidden'],
    handle: ({ params, body, principal }, { lifecycle }) => lifecycle.approve(params.version, principal!, body.reason),
  }),
  route({
    operationId: 'killModel',
    method: 'post',
    path: '/v1/models/:version/kill',
    tag: 'governance',
    roles: ['approver'],
    summary: 'Take a version out of serving at once; the previous approved version (or the store ranking) serves the next request',
    params: modelParams,
    body: reasonBody,
    response: killResponse,
    errors: ['not-found', 'conflict'],
    handle: ({ params, body, principal }, { lifecycle }) => lifecycle.kill(params.version, principal!, body.reason),
  }),
  route({
    operationId: 'getGovernanceSettings',
    method: 'get',
    path: '/v1/governance/settings',
    tag: 'governance',
    roles: ['admin', 'approver'],
    summary: 'The promotion gates and whether separation of duties is on',
    response: settingsResponse,
    errors: [],
    handle: (_, { store }) => readGovernanceSettings(store),
  }),
  route({
    operationId: 'putGovernanceSettings',
    method: 'put',
    path: '/v1/governance/settings',
    tag: 'governance',
    roles: ['admin'],
    summary: 'Set the promotion gates and separation of duties (omitted fields take their defaults: off)',
    body: settingsBody,
    response: settingsResponse,
    errors: [],
    handle: async ({ body, principal }, { store }) => {
      const settings = governanceSettingsSchema.parse(body);
      await store.putSetting(settingsName, settings, { actor: principal!.keyId, action: 'gates.changed', target: settingsName, details: settings });
      return settings;
    },
  }),
  route({
    operationId: 'listAudit',
    method: 'get',
    path: '/v1/audit',
    tag: 'governance',
    roles: ['admin', 'approver'],
    summary: 'Audit entries in sequence order, paged, filtered by action, actor, target or time',
    query: auditQuery,
    response: auditListResponse,
    errors: [],
    handle: async ({ query }, { store }) => {
      const { after, limit, ...filter } = query;
      // One more than asked tells whether a next page exists.
      const entries = await store.listAudit({ ...filter, afterSeq: after, limit: limit + 1 });
      const page = entries.slice(0, limit);
      return { entries: page, next: entries.length > limit ? page[page.length - 1].seq : null };
    },
  }),
  route({
    operationId: 'verifyAudit',
    method: 'get',
    path: '/v1/audit/verify',
    tag: 'governance',
    roles: ['admin', 'approver'],
    summary: 'Recompute the audit chain: ok, entries, head hash and the first bad entry',
    query: verifyQuery,
    response: verifyResponse,
    errors: [],
    handle: ({ query }, { store }) => verifyAuditLog(store, { expectHead: query.expectHead }),
  }),
];
