/**
 * Everything the coordinator and the API persist, behind one small async interface so a
 * PostgreSQL implementation can sit beside the SQLite one and pass the same contract suite
 * (`store-contract.ts`). Weights are stored as the flat Float32Array layout of
 * `models/weights/model-weights.ts`, never as JSON numbers.
 */
import type { CatalogItem } from '../../models/data/retail-world.ts';
import type { ModelWeights } from '../../models/weights/model-weights.ts';
import type { AuditDraft, GovernanceStore } from './governance-records.ts';
import type { ShopperStore } from './shopper-records.ts';
import type { MeasurementStore } from './measurement-records.ts';

/** `failed` and `cancelled` are final: a coordinator never resumes them. */
export type JobStatus = 'created' | 'running' | 'paused' | 'completed' | 'failed' | 'budget-exhausted' | 'cancelled';

export interface JobRecord {
  id: string;
  /** The validated job config, as JSON (its schema lives with the rounds engine). */
  config: Record<string, unknown>;
  status: JobStatus;
  /** Human-readable reason for the status (why it paused or failed). */
  statusDetail: string;
  /** Last round whose model version was released (0 before the first). */
  completedRounds: number;
  createdAt: string;
  updatedAt: string;
}

/** The privacy spent by a job so far, persisted BEFORE the round's model is released. */
export interface PrivacySpend {
  jobId: string;
  /** The round whose cost this includes. */
  round: number;
  epsilon: number;
  delta: number;
  /** Serialised accountant state (its list of {q, sigma, steps}), enough to rebuild it. */
  accountant: unknown;
}

export interface RoundRecord {
  jobId: string;
  round: number;
  /** Model version the round started from, and the one it released. */
  baseVersion: number;
  releasedVersion: number;
  clients: number;
  /** Sum of sampled shoppers reported by clients (not noised; stays on the coordinator). */
  shoppers: number;
  metrics: Record<string, number>;
  /** Cumulative (ε, δ) after this round. */
  epsilon: number;
  delta: number;
  startedAt: string;
  finishedAt: string;
}

export interface ModelVersionRecord {
  version: number;
  jobId: string | null;
  round: number;
  metrics: Record<string, number>;
  epsilon: number | null;
  createdAt: string;
}

export interface ClientRecord {
  id: string;
  storeId: string;
  /** sha256 of the client's token; the token itself is never stored. */
  tokenHash: string;
  /**
   * The shoppers this client may sample from, as the operator registered it: the only source of a
   * client's N for q, qN, norm bounds and count checks (what a client claims is checked against it).
   */
  population: number;
  registeredAt: string;
  lastSeenAt: string | null;
}

/** A counter increment for the merchant view: aggregates only, never a shopper's history. */
export interface ExposureIncrement {
  itemId: string;
  storeId: string;
  segment: string;
  /** UTC day, YYYY-MM-DD. */
  day: string;
  /** What is counted, e.g. "shown", "top-reason:store-trend", "attribution:price-fit". */
  key: string;
  amount: number;
}

export interface ExposureFilter {
  itemId: string;
  storeId?: string;
  segment?: string;
  /** Inclusive day range. */
  fromDay?: string;
  toDay?: string;
}

/** The operator's lifetime privacy budget for the deployment (the ledger composes every job against it). */
export interface PrivacyBudget {
  epsilon: number;
  delta: number;
}

/** A job's starting model: stored with the job as its version at round 0 (no metrics, ε 0). */
export interface InitialModelVersion {
  version: number;
  weights: ModelWeights;
}

export interface FedrecStore extends GovernanceStore, ShopperStore, MeasurementStore {
  /**
   * Creates the job and, when given, its initial model version, in one transaction: a crash leaves
   * both or neither, never a job without the version it resumes from. A taken version is a
   * conflict, and then no job is stored either.
   */
  createJob(job: { id: string; config: Record<string, unknown> }, initial?: InitialModelVersion): Promise<JobRecord>;
  getJob(id: string): Promise<JobRecord | undefined>;
  listJobs(): Promise<JobRecord[]>;
  /**
   * Sets the status and, when given, appends its audit entry in the same transaction: a status
   * never changes without its entry, nor an entry without its status. An invalid draft changes nothing.
   */
  setJobStatus(id: string, status: JobStatus, detail?: string, audit?: AuditDraft): Promise<void>;

  /** Persists the privacy spent through `spend.round`; must be durable before the model is released. */
  recordPrivacySpend(spend: PrivacySpend): Promise<void>;
  /** The latest privacy spend of a job (possibly for a round whose model was never released). */
  getPrivacySpend(jobId: string): Promise<PrivacySpend | undefined>;
  /** Every job's latest spend, in job creation order: the deployment ledger's durable form. */
  listPrivacySpends(): Promise<PrivacySpend[]>;
  /** Sets (or, with null, removes) the lifetime budget. */
  setPrivacyBudget(budget: PrivacyBudget | null): Promise<void>;
  getPrivacyBudget(): Promise<PrivacyBudget | undefined>;

  /**
   * Atomically: stores the model version, the round record and the job's completedRounds, and,
   * when given, the server optimizer's state after that round (FedAdam's moments), replacing the
   * job's earlier one. A round number already completed for that job is rejected (conflict), never
   * overwritten, and then no state is written either.
   */
  completeRound(round: RoundRecord, weights: ModelWeights, optimizerState?: Float32Array): Promise<void>;
  /** The server-optimizer state stored with the job's latest round that had one, and the version that round released. */
  getOptimizerState(jobId: string): Promise<{ version: number; state: Float32Array } | undefined>;
  listRounds(jobId: string): Promise<RoundRecord[]>;

  /** Stores a model version not produced by a round (initial or centralised weights). */
  saveModelVersion(record: Omit<ModelVersionRecord, 'createdAt'>, weights: ModelWeights): Promise<void>;
  getModelVersion(version: number): Promise<{ record: ModelVersionRecord; weights: ModelWeights } | undefined>;
  latestModelVersion(jobId?: string): Promise<ModelVersionRecord | undefined>;
  listModelVersions(): Promise<ModelVersionRecord[]>;
  /** A version number nobody holds yet: above every stored one and every one this store handed out before. */
  nextModelVersion(): Promise<number>;
  /**
   * Drops the weights of every version the retention rule does not keep (model-retention.ts: never
   * the serving or an approved version, the `keepRecent` newest, or a job's latest), in one
   * transaction with the decision; returns the versions pruned. A pruned version reads as absent.
   */
  pruneModelVersions(keepRecent: number): Promise<number[]>;

  registerClient(client: Omit<ClientRecord, 'registeredAt' | 'lastSeenAt'>): Promise<ClientRecord>;
  getClient(id: string): Promise<ClientRecord | undefined>;
  touchClient(id: string): Promise<void>;
  /** Changes a registered client's population (the operator's call only); not-found for an unknown id. */
  setClientPopulation(id: string, population: number): Promise<ClientRecord>;

  /** Upserts catalogue items by id, all or nothing. */
  putCatalog(items: CatalogItem[]): Promise<{ inserted: number; updated: number }>;
  getCatalogItem(id: string): Promise<CatalogItem | undefined>;
  listCatalog(): Promise<CatalogItem[]>;

  /** Adds every increment in one transaction. */
  addExposure(increments: ExposureIncrement[]): Promise<void>;
  /** Sums of each key matching the filter. */
  readExposure(filter: ExposureFilter): Promise<Record<string, number>>;
  /** Every raw counter of one day. */
  listExposureDay(day: string): Promise<ExposureIncrement[]>;
  /** Days before `beforeDay` that have raw counters and are not sealed yet, oldest first. */
  unsealedExposureDays(beforeDay: string): Promise<string[]>;
  /**
   * Seals a day once: stores its noised counters and marks it sealed, atomically. Returns false
   * (and stores nothing) when the day was already sealed, so its noise is never drawn twice.
   */
  sealExposureDay(day: string, noised: ExposureIncrement[]): Promise<boolean>;
  /** Sums of each sealed key matching the filter (what the merchant view reads). */
  readSealedExposure(filter: ExposureFilter): Promise<Record<string, number>>;

  close(): Promise<void>;
}
