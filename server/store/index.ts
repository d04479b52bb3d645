/**
 * Persistence for the coordinator and the API: jobs, privacy spend, rounds, model versions,
 * clients, catalogue and exposure counters, behind the FedrecStore interface. SQLite is the
 * embedded default; MemoryStore serves tests and demos that need no file.
 */
export type {
  ClientRecord, ExposureFilter, ExposureIncrement, FedrecStore, JobRecord, JobStatus, ModelVersionRecord, PrivacySpend, RoundRecord,
} from './fedrec-store.ts';
export type {
  ApiKeyRecord, ApprovalRecord, AuditDraft, AuditEntry, AuditFilter, GateResult, GovernanceStore, KillRecord, ModelState, ModelStateChange, ModelStateRecord, Role,
} from './governance-records.ts';
export { modelStates, roles } from './governance-records.ts';
export type { ConsentChoice, ConsentRecord, ErasureCounts, FeedbackKind, FeedbackRecord, ShopperPreferences, ShopperStore, SuppressionRecord } from './shopper-records.ts';
export { consentChoices, feedbackKinds } from './shopper-records.ts';
export type { ConsentChange, ExperimentGroup, HoldoutAssignment, IssuedRecommendation, MeasurementStore, OutcomeEvent, OutcomeFilter, OutcomeInsert, OutcomeKind } from './measurement-records.ts';
export { experimentGroups, outcomeKinds } from './measurement-records.ts';
export { MemoryStore } from './memory-store.ts';
export { openStore } from './open-store.ts';
export { SqliteStore } from './sqlite-store.ts';
