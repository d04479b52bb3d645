/**
 * Persistence for the coordinator and the API: jobs, privacy spend, rounds, model versions,
 * clients, catalogue and exposure counters, behind the FedrecStore interface. SQLite is the
 * embedded default; MemoryStore serves tests and demos that need no file.
 */
export type {
  ClientRecord, ExposureFilter, ExposureIncrement, FedrecStore, JobRecord, JobStatus, ModelVersionRecord, PrivacySpend, RoundRecord,
} from './fedrec-store.ts';
export { MemoryStore } from './memory-store.ts';
export { openStore } from './open-store.ts';
export { SqliteStore } from './sqlite-store.ts';
