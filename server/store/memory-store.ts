/**
 * A store that lives in process memory: for tests and demos that need no file, and as the second
 * implementation that keeps the contract honest (a behaviour the contract suite expects from
 * SQLite must be expressible without it). Every method validates everything before it mutates
 * anything, which is what makes its multi-record writes all-or-nothing without a transaction.
 * Records are copied in and out, so callers can never mutate stored state by accident.
 */
import { versionsToPrune } from './model-retention.ts';
import { FedrecError } from '../errors/index.ts';
import type { CatalogItem } from '../../models/data/retail-world.ts';
import type { ModelWeights } from '../../models/weights/model-weights.ts';
import type {
  ClientRecord, ExposureFilter, ExposureIncrement, FedrecStore, InitialModelVersion, JobRecord, JobStatus, ModelVersionRecord, PrivacyBudget, PrivacySpend, RoundRecord,
} from './fedrec-store.ts';
import type { ApiKeyRecord, AuditDraft, AuditEntry, AuditFilter, ModelStateChange, ModelStateRecord } from './governance-records.ts';
import { MemoryGovernance } from './memory-governance.ts';
import { MemoryShoppers } from './memory-shoppers.ts';
import { MemoryMeasurement } from './memory-measurement.ts';
import type { ConsentChange, HoldoutAssignment, IssuedRecommendation, OutcomeEvent, OutcomeFilter, OutcomeInsert } from './measurement-records.ts';
import type { ConsentRecord, ErasureCounts, FeedbackRecord, ShopperPreferences, SuppressionRecord } from './shopper-records.ts';
import {
  catalogItem, checkOptimizerState, checkWeights, checked, clientInput, clientPopulation, exposureDay, exposureIncrement, jobInput, jobStatus, modelVersionInput, privacyBudget,
  privacySpend, roundRecord, toJsonText,
} from './store-validation.ts';

type Counters = Map<string, { increment: Omit<ExposureIncrement, 'amount'>; value: number }>;

/** Free-form JSON values are kept as text, so they read back exactly as from SQLite. */
type StoredJob = Omit<JobRecord, 'config'> & { config: string };
type StoredSpend = Omit<PrivacySpend, 'accountant'> & { accountant: string };

export class MemoryStore implements FedrecStore {
  private readonly jobs = new Map<string, StoredJob>();
  private readonly spends = new Map<string, StoredSpend>();
  private readonly rounds = new Map<string, RoundRecord[]>();
  private readonly optimizerStates = new Map<string, { version: number; state: Float32Array }>();
  private readonly versions = new Map<number, { record: ModelVersionRecord; weights: ModelWeights }>();
  /** The last number `nextModelVersion` handed out: two jobs asking before either saves get different ones. */
  private lastIssuedVersion = -1;
  private readonly clients = new Map<string, ClientRecord>();
  private readonly catalog = new Map<string, CatalogItem>();
  /** Counter key (item, store, segment, day, key as a JSON array) → value. */
  private readonly exposure: Counters = new Map();
  /** The same, noised once per day when the day is sealed. */
  private readonly sealed: Counters = new Map();
  private readonly sealedDays = new Set<string>();
  private budget: PrivacyBudget | undefined;
  private closed = false;
  private readonly governance = new MemoryGovernance((version) => this.versions.has(version));
  private readonly shoppers: MemoryShoppers = new MemoryShoppers((draft) => this.governance.appendAudit(draft), () => this.measurement);
  private readonly measurement = new MemoryMeasurement(this.shoppers);

  async createJob(job: { id: string; config: Record<string, unknown> }, initial?: InitialModelVersion): Promise<JobRecord> {
    this.assertOpen('createJob');
    const { id, config } = checked('createJob', jobInput, job);
    if (this.jobs.has(id)) throw new FedrecError('conflict', `createJob: job "${id}" already exists`);
    const at = now();
    const text = toJsonText('createJob', ['config'], config);
    const version = initial && checked('createJob', modelVersionInput, { version: initial.version, jobId: id, round: 0, metrics: {}, epsilon: 0 }, ['initial']);
    if (initial) {
      checkWeights('createJob', initial.weights);
      this.assertVersionFree('createJob', initial.version);
    }
    // Every check above passed, so the two writes below cannot half-happen.
    const stored: StoredJob = { id, config: text, status: 'created', statusDetail: '', completedRounds: 0, createdAt: at, updatedAt: at };
    this.jobs.set(id, stored);
    if (initial && version) this.putVersion(version, initial.weights);
    return toJob(stored);
  }

  async getJob(id: string): Promise<JobRecord | undefined> {
    this.assertOpen('getJob');
    const stored = this.jobs.get(id);
    return stored && toJob(stored);
  }

  async listJobs(): Promise<JobRecord[]> {
    this.assertOpen('listJobs');
    return [...this.jobs.values()].map(toJob);
  }

  async setJobStatus(id: string, status: JobStatus, detail = '', audit?: AuditDraft): Promise<void> {
    this.assertOpen('setJobStatus');
    checked('setJobStatus', jobStatus, status, ['status']);
    const stored = this.requireJob('setJobStatus', id);
    // The entry is validated and appended first (it throws on an invalid draft); the assignment after it cannot fail.
    if (audit) this.governance.appendAudit(audit);
    Object.assign(stored, { status, statusDetail: detail, updatedAt: now() });
  }

  async recordPrivacySpend(spend: PrivacySpend): Promise<void> {
    this.assertOpen('recordPrivacySpend');
    const { jobId, round, epsilon, delta } = checked('recordPrivacySpend', privacySpend, spend);
    const accountant = toJsonText('recordPrivacySpend', ['accountant'], spend.accountant);
    this.requireJob('recordPrivacySpend', jobId);
    const stored = this.spends.get(jobId);
    if (stored && round < stored.round) {
      const message = `recordPrivacySpend: job "${jobId}" has a spend for round ${stored.round}, later than round ${round}`;
      throw new FedrecError('conflict', message);
    }
    this.spends.set(jobId, { jobId, round, epsilon, delta, accountant });
  }

  async getPrivacySpend(jobId: string): Promise<PrivacySpend | undefined> {
    this.assertOpen('getPrivacySpend');
    const stored = this.spends.get(jobId);
    return stored && { ...stored, accountant: JSON.parse(stored.accountant) };
  }

  async listPrivacySpends(): Promise<PrivacySpend[]> {
    this.assertOpen('listPrivacySpends');
    // Map order is insertion order, so jobs come in creation order as from SQLite.
    return [...this.jobs.keys()].flatMap((id) => {
      const stored = this.spends.get(id);
      return stored ? [{ ...stored, accountant: JSON.parse(stored.accountant) }] : [];
    });
  }

  async setPrivacyBudget(budget: PrivacyBudget | null): Promise<void> {
    this.assertOpen('setPrivacyBudget');
    const valid = checked('setPrivacyBudget', privacyBudget, budget);
    this.budget = valid ? { epsilon: valid.epsilon, delta: valid.delta } : undefined;
  }

  async getPrivacyBudget(): Promise<PrivacyBudget | undefined> {
    this.assertOpen('getPrivacyBudget');
    return this.budget && { ...this.budget };
  }

  async completeRound(round: RoundRecord, weights: ModelWeights, optimizerState?: Float32Array): Promise<void> {
    this.assertOpen('completeRound');
    const valid = checked('completeRound', roundRecord, round);
    checkWeights('completeRound', weights);
    if (optimizerState !== undefined) checkOptimizerState('completeRound', optimizerState, weights);
    const { jobId, round: number, releasedVersion, metrics, epsilon } = valid;
    const job = this.requireJob('completeRound', jobId);
    const jobRounds = this.rounds.get(jobId) ?? [];
    if (jobRounds.some((r) => r.round === number)) {
      throw new FedrecError('conflict', `completeRound: round ${number} of job "${jobId}" is already completed`);
    }
    this.assertVersionFree('completeRound', releasedVersion);
    // Every check above passed, so the three writes below cannot half-happen.
    this.putVersion({ version: releasedVersion, jobId, round: number, metrics, epsilon }, weights);
    this.rounds.set(jobId, [...jobRounds, structuredClone(valid)].sort((a, b) => a.round - b.round));
    Object.assign(job, { completedRounds: Math.max(job.completedRounds, number), updatedAt: now() });
    if (optimizerState !== undefined) this.optimizerStates.set(jobId, { version: releasedVersion, state: optimizerState.slice() });
  }

  async getOptimizerState(jobId: string): Promise<{ version: number; state: Float32Array } | undefined> {
    this.assertOpen('getOptimizerState');
    const stored = this.optimizerStates.get(jobId);
    return stored && { version: stored.version, state: stored.state.slice() };
  }

  async listRounds(jobId: string): Promise<RoundRecord[]> {
    this.assertOpen('listRounds');
    return structuredClone(this.rounds.get(jobId) ?? []);
  }

  async saveModelVersion(record: Omit<ModelVersionRecord, 'createdAt'>, weights: ModelWeights): Promise<void> {
    this.assertOpen('saveModelVersion');
    const valid = checked('saveModelVersion', modelVersionInput, record);
    checkWeights('saveModelVersion', weights);
    if (valid.jobId !== null) this.requireJob('saveModelVersion', valid.jobId);
    this.assertVersionFree('saveModelVersion', valid.version);
    this.putVersion(valid, weights);
  }

  async getModelVersion(version: number): Promise<{ record: ModelVersionRecord; weights: ModelWeights } | undefined> {
    this.assertOpen('getModelVersion');
    const stored = this.versions.get(version);
    return stored && { record: structuredClone(stored.record), weights: copyWeights(stored.weights) };
  }

  async latestModelVersion(jobId?: string): Promise<ModelVersionRecord | undefined> {
    this.assertOpen('latestModelVersion');
    let latest: ModelVersionRecord | undefined;
    for (const { record } of this.versions.values()) {
      if ((jobId === undefined || record.jobId === jobId) && (!latest || record.version > latest.version)) latest = record;
    }
    return latest && structuredClone(latest);
  }

  async listModelVersions(): Promise<ModelVersionRecord[]> {
    this.assertOpen('listModelVersions');
    return [...this.versions.values()].map((v) => structuredClone(v.record)).sort((a, b) => a.version - b.version);
  }

  async nextModelVersion(): Promise<number> {
    this.assertOpen('nextModelVersion');
    return (this.lastIssuedVersion = Math.max(Math.max(-1, ...this.versions.keys()) + 1, this.lastIssuedVersion + 1));
  }

  async pruneModelVersions(keepRecent: number): Promise<number[]> {
    this.assertOpen('pruneModelVersions');
    const versions = [...this.versions.values()].map(({ record }) => ({ version: record.version, jobId: record.jobId }));
    const pruned = versionsToPrune({ versions, states: this.governance.listModelStates(), keepRecent });
    // Pruned rows of the SQLite store keep their metadata; here the record goes with the weights,
    // and its number stays issued (nextModelVersion never hands it out again).
    for (const version of pruned) this.versions.delete(version);
    return pruned;
  }

  async registerClient(client: Omit<ClientRecord, 'registeredAt' | 'lastSeenAt'>): Promise<ClientRecord> {
    this.assertOpen('registerClient');
    const valid = checked('registerClient', clientInput, client);
    if (this.clients.has(valid.id)) throw new FedrecError('conflict', `registerClient: client "${valid.id}" is already registered`);
    const stored = { ...valid, registeredAt: now(), lastSeenAt: null };
    this.clients.set(valid.id, stored);
    return { ...stored };
  }

  async getClient(id: string): Promise<ClientRecord | undefined> {
    this.assertOpen('getClient');
    const stored = this.clients.get(id);
    return stored && { ...stored };
  }

  async touchClient(id: string): Promise<void> {
    this.assertOpen('touchClient');
    const stored = this.clients.get(id);
    if (!stored) throw new FedrecError('not-found', `touchClient: no client "${id}"`);
    stored.lastSeenAt = now();
  }

  async setClientPopulation(id: string, population: number): Promise<ClientRecord> {
    this.assertOpen('setClientPopulation');
    const valid = checked('setClientPopulation', clientPopulation, population, ['population']);
    const stored = this.clients.get(id);
    if (!stored) throw new FedrecError('not-found', `setClientPopulation: no client "${id}"`);
    stored.population = valid;
    return { ...stored };
  }

  async putCatalog(items: CatalogItem[]): Promise<{ inserted: number; updated: number }> {
    this.assertOpen('putCatalog');
    const valid = items.map((item, index) => checked('putCatalog', catalogItem, item, ['items', index]));
    const seen = new Set(this.catalog.keys());
    let inserted = 0;
    for (const item of valid) {
      if (!seen.has(item.id)) inserted++;
      seen.add(item.id);
      this.catalog.set(item.id, item);
    }
    return { inserted, updated: valid.length - inserted };
  }

  async getCatalogItem(id: string): Promise<CatalogItem | undefined> {
    this.assertOpen('getCatalogItem');
    const stored = this.catalog.get(id);
    return stored && { ...stored };
  }

  async listCatalog(): Promise<CatalogItem[]> {
    this.assertOpen('listCatalog');
    return [...this.catalog.values()].map((item) => ({ ...item }));
  }

  async addExposure(increments: ExposureIncrement[]): Promise<void> {
    this.assertOpen('addExposure');
    const valid = increments.map((increment, index) => checked('addExposure', exposureIncrement, increment, ['increments', index]));
    for (const { amount, ...increment } of valid) {
      const key = JSON.stringify([increment.itemId, increment.storeId, increment.segment, increment.day, increment.key]);
      const counter = this.exposure.get(key) ?? { increment, value: 0 };
      counter.value += amount;
      this.exposure.set(key, counter);
    }
  }

  async readExposure(filter: ExposureFilter): Promise<Record<string, number>> {
    this.assertOpen('readExposure');
    return sumCounters(this.exposure, filter);
  }

  async listExposureDay(day: string): Promise<ExposureIncrement[]> {
    this.assertOpen('listExposureDay');
    checked('listExposureDay', exposureDay, day, ['day']);
    const rows = [...this.exposure.values()].filter((c) => c.increment.day === day).map(({ increment, value }) => ({ ...increment, amount: value }));
    return rows.sort((a, b) => compare(a.itemId, b.itemId) || compare(a.storeId, b.storeId) || compare(a.segment, b.segment) || compare(a.key, b.key));
  }

  async unsealedExposureDays(beforeDay: string): Promise<string[]> {
    this.assertOpen('unsealedExposureDays');
    checked('unsealedExposureDays', exposureDay, beforeDay, ['beforeDay']);
    const days = new Set<string>();
    for (const { increment } of this.exposure.values()) if (increment.day < beforeDay && !this.sealedDays.has(increment.day)) days.add(increment.day);
    return [...days].sort();
  }

  async sealExposureDay(day: string, noised: ExposureIncrement[]): Promise<boolean> {
    this.assertOpen('sealExposureDay');
    checked('sealExposureDay', exposureDay, day, ['day']);
    const valid = noised.map((increment, index) => checked('sealExposureDay', exposureIncrement, increment, ['noised', index]));
    const stray = valid.findIndex((increment) => increment.day !== day);
    if (stray >= 0) throw new FedrecError('invalid-input', `sealExposureDay: counter ${stray} is for ${valid[stray].day}, not ${day}`);
    if (this.sealedDays.has(day)) return false;
    for (const { amount, ...increment } of valid) {
      const key = JSON.stringify([increment.itemId, increment.storeId, increment.segment, increment.day, increment.key]);
      this.sealed.set(key, { increment, value: amount });
    }
    this.sealedDays.add(day);
    return true;
  }

  async readSealedExposure(filter: ExposureFilter): Promise<Record<string, number>> {
    this.assertOpen('readSealedExposure');
    return sumCounters(this.sealed, filter);
  }

  async createApiKey(key: Omit<ApiKeyRecord, 'createdAt' | 'revokedAt' | 'revokedBy'>, audit: AuditDraft): Promise<ApiKeyRecord> {
    this.assertOpen('createApiKey');
    return this.governance.createApiKey(key, audit);
  }

  async getApiKey(id: string): Promise<ApiKeyRecord | undefined> {
    this.assertOpen('getApiKey');
    return this.governance.getApiKey(id);
  }

  async findApiKeyByHash(keyHash: string): Promise<ApiKeyRecord | undefined> {
    this.assertOpen('findApiKeyByHash');
    return this.governance.findApiKeyByHash(keyHash);
  }

  async listApiKeys(): Promise<ApiKeyRecord[]> {
    this.assertOpen('listApiKeys');
    return this.governance.listApiKeys();
  }

  async revokeApiKey(id: string, by: string, audit: AuditDraft): Promise<ApiKeyRecord> {
    this.assertOpen('revokeApiKey');
    return this.governance.revokeApiKey(id, by, audit);
  }

  async listModelStates(): Promise<ModelStateRecord[]> {
    this.assertOpen('listModelStates');
    return this.governance.listModelStates();
  }

  async changeModelStates(changes: ModelStateChange[], audit: AuditDraft): Promise<void> {
    this.assertOpen('changeModelStates');
    return this.governance.changeModelStates(changes, audit);
  }

  async getSetting(name: string): Promise<unknown> {
    this.assertOpen('getSetting');
    return this.governance.getSetting(name);
  }

  async putSetting(name: string, value: unknown, audit: AuditDraft): Promise<void> {
    this.assertOpen('putSetting');
    return this.governance.putSetting(name, value, audit);
  }

  async appendAudit(entry: AuditDraft): Promise<AuditEntry> {
    this.assertOpen('appendAudit');
    return this.governance.appendAudit(entry);
  }

  async listAudit(filter?: AuditFilter): Promise<AuditEntry[]> {
    this.assertOpen('listAudit');
    return this.governance.listAudit(filter);
  }

  async getShopperPreferences(pseudonym: string): Promise<ShopperPreferences | undefined> {
    this.assertOpen('getShopperPreferences');
    return this.shoppers.getShopperPreferences(pseudonym);
  }

  async putShopperPreferences(pseudonym: string, preferences: Omit<ShopperPreferences, 'updatedAt'>, consentAudit?: AuditDraft): Promise<ShopperPreferences> {
    this.assertOpen('putShopperPreferences');
    return this.shoppers.putShopperPreferences(pseudonym, preferences, consentAudit);
  }

  async listConsentHistory(pseudonym: string): Promise<ConsentRecord[]> {
    this.assertOpen('listConsentHistory');
    return this.shoppers.listConsentHistory(pseudonym);
  }

  async addShopperFeedback(pseudonym: string | null, feedback: Omit<FeedbackRecord, 'createdAt'>, suppression?: Omit<SuppressionRecord, 'createdAt'>): Promise<void> {
    this.assertOpen('addShopperFeedback');
    return this.shoppers.addShopperFeedback(pseudonym, feedback, suppression);
  }

  async listShopperFeedback(pseudonym: string): Promise<FeedbackRecord[]> {
    this.assertOpen('listShopperFeedback');
    return this.shoppers.listShopperFeedback(pseudonym);
  }

  async listSuppressions(pseudonym: string): Promise<SuppressionRecord[]> {
    this.assertOpen('listSuppressions');
    return this.shoppers.listSuppressions(pseudonym);
  }

  async eraseShopper(pseudonym: string, audit: (counts: ErasureCounts) => AuditDraft): Promise<ErasureCounts> {
    this.assertOpen('eraseShopper');
    return this.shoppers.eraseShopper(pseudonym, audit);
  }

  async rekeyShoppers(rekey: (pseudonym: string) => string, audit: (shoppers: number) => AuditDraft): Promise<number> {
    this.assertOpen('rekeyShoppers');
    return this.shoppers.rekeyShoppers(rekey, audit);
  }

  async getHoldoutAssignment(pseudonym: string): Promise<HoldoutAssignment | undefined> {
    this.assertOpen('getHoldoutAssignment');
    return this.measurement.getHoldoutAssignment(pseudonym);
  }

  async assignHoldout(assignment: HoldoutAssignment): Promise<HoldoutAssignment> {
    this.assertOpen('assignHoldout');
    return this.measurement.assignHoldout(assignment);
  }

  async listHoldoutAssignments(): Promise<HoldoutAssignment[]> {
    this.assertOpen('listHoldoutAssignments');
    return this.measurement.listHoldoutAssignments();
  }

  async addIssuedRecommendations(recommendations: IssuedRecommendation[]): Promise<void> {
    this.assertOpen('addIssuedRecommendations');
    return this.measurement.addIssuedRecommendations(recommendations);
  }

  async getIssuedRecommendations(ids: string[]): Promise<IssuedRecommendation[]> {
    this.assertOpen('getIssuedRecommendations');
    return this.measurement.getIssuedRecommendations(ids);
  }

  async addOutcomeEvents(events: OutcomeEvent[]): Promise<OutcomeInsert> {
    this.assertOpen('addOutcomeEvents');
    return this.measurement.addOutcomeEvents(events);
  }

  async listOutcomeEvents(filter?: OutcomeFilter): Promise<OutcomeEvent[]> {
    this.assertOpen('listOutcomeEvents');
    return this.measurement.listOutcomeEvents(filter);
  }

  async listConsentChanges(filter?: { from?: string; to?: string }): Promise<ConsentChange[]> {
    this.assertOpen('listConsentChanges');
    return this.measurement.listConsentChanges(filter);
  }

  async listFeedbackBetween(filter?: { from?: string; to?: string }): Promise<(FeedbackRecord & { pseudonym: string | null })[]> {
    this.assertOpen('listFeedbackBetween');
    return this.measurement.listFeedbackBetween(filter);
  }

  async countSuppressions(at: string): Promise<{ suppressions: number; shoppers: number }> {
    this.assertOpen('countSuppressions');
    return this.measurement.countSuppressions(at);
  }

  async purgeMeasurement(before: string): Promise<{ events: number; recommendations: number }> {
    this.assertOpen('purgeMeasurement');
    return this.measurement.purgeMeasurement(before);
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private assertOpen(operation: string): void {
    if (this.closed) throw new FedrecError('unavailable', `${operation}: the store is closed`);
  }

  private requireJob(operation: string, id: string): StoredJob {
    const stored = this.jobs.get(id);
    if (!stored) throw new FedrecError('not-found', `${operation}: no job "${id}"`);
    return stored;
  }

  private assertVersionFree(operation: string, version: number): void {
    if (this.versions.has(version)) throw new FedrecError('conflict', `${operation}: model version ${version} already exists`);
  }

  private putVersion(record: Omit<ModelVersionRecord, 'createdAt'>, weights: ModelWeights): void {
    this.versions.set(record.version, { record: { ...structuredClone(record), createdAt: now() }, weights: copyWeights(weights) });
  }
}

function now(): string {
  return new Date().toISOString();
}

function toJob(stored: StoredJob): JobRecord {
  return { ...stored, config: JSON.parse(stored.config) };
}

/** Copies bytes, not numbers, so NaN payloads and -0 come back bit for bit as from SQLite. */
function copyWeights(weights: ModelWeights): ModelWeights {
  const values = new Float32Array(weights.values.length);
  new Uint8Array(values.buffer).set(new Uint8Array(weights.values.buffer, weights.values.byteOffset, weights.values.byteLength));
  return { manifest: structuredClone(weights.manifest), values };
}

/** Sums of each key matching the filter, keys in code-unit order as SQLite's ORDER BY gives them. */
function sumCounters(counters: Counters, filter: ExposureFilter): Record<string, number> {
  const sums = new Map<string, number>();
  for (const { increment: c, value } of counters.values()) {
    if (c.itemId !== filter.itemId) continue;
    if (filter.storeId !== undefined && c.storeId !== filter.storeId) continue;
    if (filter.segment !== undefined && c.segment !== filter.segment) continue;
    // YYYY-MM-DD compares as text in date order, as it does in SQL.
    if ((filter.fromDay !== undefined && c.day < filter.fromDay) || (filter.toDay !== undefined && c.day > filter.toDay)) continue;
    sums.set(c.key, (sums.get(c.key) ?? 0) + value);
  }
  return Object.fromEntries([...sums].sort(([a], [b]) => compare(a, b)));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
