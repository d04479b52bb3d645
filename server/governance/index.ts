/**
 * Oversight, transport-free: API keys with roles and the one authorization check, the model
 * lifecycle (approval past promotion gates, kill switch), and the hash-chained audit log.
 */
export { apiKeyPrefix, createApiKey, hashApiKey, keyView, minimumKeyLength, revokeApiKey } from './api-keys.ts';
export type { ApiKeyView } from './api-keys.ts';
export { auditHash, canonicalJson, genesisHash } from './audit-hash.ts';
export { recordGovernanceAction, recordJobStatus, systemActor, verifyAuditLog } from './audit-log.ts';
export type { AuditVerification } from './audit-log.ts';
export { authorize } from './authorize.ts';
export type { Principal, RouteAccess } from './authorize.ts';
export { adminKeyVariable, bootstrapAdminKey, retiredOperatorTokenVariable } from './bootstrap-admin-key.ts';
export { ModelLifecycle } from './model-lifecycle.ts';
export type { ModelLifecycleState, ModelView, PrepareServing } from './model-lifecycle.ts';
export { evaluateGates, governanceSettingsSchema, readGovernanceSettings, settingsName } from './promotion-gates.ts';
export type { FairnessGapMeasure, GovernanceSettings } from './promotion-gates.ts';
export { auditedJobStatus } from './audited-job-status.ts';
