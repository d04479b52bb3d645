/**
 * The embedded default store: one SQLite file through better-sqlite3. Its calls are synchronous,
 * so each method runs to completion before the promise it returns settles, and a multi-statement
 * write is one transaction that no other call of this process can interleave with.
 */
import Database from 'better-sqlite3';
import { FedrecError } from '../errors/index.ts';
import type { CatalogItem } from '../../models/data/retail-world.ts';
import type { ModelWeights, WeightsManifest } from '../../models/weights/model-weights.ts';
import type {
  ClientRecord, ExposureFilter, ExposureIncrement, FedrecStore, InitialModelVersion, JobRecord, JobStatus, ModelVersionRecord, PrivacyBudget, PrivacySpend, RoundRecord,
} from './fedrec-store.ts';
import type { ApiKeyRecord, AuditDraft, AuditEntry, AuditFilter, ModelStateChange, ModelStateRecord } from './governance-records.ts';
import { translateSqliteError } from './sqlite-error.ts';
import { sqliteGovernance } from './sqlite-governance.ts';
import type { ConsentRecord, ErasureCounts, FeedbackRecord, ShopperPreferences, SuppressionRecord } from './shopper-records.ts';
import { sqliteShoppers } from './sqlite-shoppers.ts';
import { sqliteMeasurement } from './sqlite-measurement.ts';
import type { ConsentChange, HoldoutAssignment, IssuedRecommendation, OutcomeEvent, OutcomeFilter, OutcomeInsert } from './measurement-records.ts';
import { migrate } from './sqlite-schema.ts';
import { versionsToPrune } from './model-retention.ts';
import { prepareStatements, type CatalogRow, type JobRow, type SqliteStatements, type VersionRow } from './sqlite-statements.ts';
import {
  catalogItem, checkOptimizerState, checkWeights, checked, clientInput, clientPopulation, exposureDay, exposureIncrement, jobInput, jobStatus, modelVersionInput, privacyBudget,
  privacySpend, roundRecord,
  toJsonText,
} from './store-validation.ts';

export class SqliteStore implements FedrecStore {
  private readonly db: Database.Database;
  private readonly sql: SqliteStatements;
  private readonly governance: ReturnType<typeof sqliteGovernance>;
  /** The last number `nextModelVersion` handed out: two jobs asking before either saves get different ones. */
  private lastIssuedVersion = -1;
  private readonly shoppers: ReturnType<typeof sqliteShoppers>;
  private readonly measurement: ReturnType<typeof sqliteMeasurement>;

  /**
   * Opens (creating if needed) and migrates the database at `path`, or a private one for ':memory:'.
   * @example const store = new SqliteStore('data/fedrec.db'); await store.listJobs(); await store.close();
   */
  constructor(readonly path: string, { busyTimeoutMs = 5000 }: { busyTimeoutMs?: number } = {}) {
    // better-sqlite3's `timeout` is SQLite's busy timeout: wait for another process's write lock.
    this.db = new Database(path, { timeout: busyTimeoutMs });
    try {
      this.db.pragma('journal_mode = WAL');
      // WAL alone already survives a SIGKILL (a commit's frames are in the WAL file before it
      // returns) but not a power cut or kernel crash, which can drop commits not yet fsynced. FULL
      // fsyncs the WAL on every commit, so once recordPrivacySpend resolves the ε spent is on disk:
      // losing it would let a restarted job spend that budget twice, and a released model cannot be
      // taken back. The price is one fsync per commit, a handful per training round.
      this.db.pragma('synchronous = FULL');
      this.db.pragma('foreign_keys = ON');
      // An erased shopper's rows are overwritten with zeros, not left in free pages of the file.
      this.db.pragma('secure_delete = ON');
      migrate(this.db);
      this.sql = prepareStatements(this.db);
      this.governance = sqliteGovernance(this.db, (operation, body) => this.guard(operation, body));
      this.shoppers = sqliteShoppers(this.db, (operation, body) => this.guard(operation, body), this.governance.appendWithin);
      this.measurement = sqliteMeasurement(this.db, (operation, body) => this.guard(operation, body));
    } catch (thrown) {
      this.db.close();
      throw thrown;
    }
  }

  async createJob(job: { id: string; config: Record<string, unknown> }, initial?: InitialModelVersion): Promise<JobRecord> {
    return this.guard('createJob', () => {
      const { id, config } = checked('createJob', jobInput, job);
      if (initial) checkWeights('createJob', initial.weights);
      return this.db.transaction(() => {
        if (this.sql.getJob.get(id)) throw new FedrecError('conflict', `createJob: job "${id}" already exists`);
        this.sql.insertJob.run({ id, config: toJsonText('createJob', ['config'], config), now: now() });
        if (initial) {
          const record = checked('createJob', modelVersionInput, { version: initial.version, jobId: id, round: 0, metrics: {}, epsilon: 0 }, ['initial']);
          this.insertVersion('createJob', record, initial.weights);
        }
        return toJob(this.sql.getJob.get(id)!);
      }).immediate();
    });
  }

  async getJob(id: string): Promise<JobRecord | undefined> {
    return this.guard('getJob', () => optional(this.sql.getJob.get(id), toJob));
  }

  async listJobs(): Promise<JobRecord[]> {
    return this.guard('listJobs', () => this.sql.listJobs.all().map(toJob));
  }

  async setJobStatus(id: string, status: JobStatus, detail = '', audit?: AuditDraft): Promise<void> {
    this.guard('setJobStatus', () => {
      checked('setJobStatus', jobStatus, status, ['status']);
      this.db.transaction(() => {
        const { changes } = this.sql.setJobStatus.run({ id, status, detail, now: now() });
        if (changes === 0) throw new FedrecError('not-found', `setJobStatus: no job "${id}"`);
        if (audit) this.governance.appendWithin('setJobStatus', audit);
      }).immediate();
    });
  }

  async recordPrivacySpend(spend: PrivacySpend): Promise<void> {
    this.guard('recordPrivacySpend', () => {
      const { jobId, round, epsilon, delta } = checked('recordPrivacySpend', privacySpend, spend);
      const accountant = toJsonText('recordPrivacySpend', ['accountant'], spend.accountant);
      if (!this.sql.getJob.get(jobId)) throw new FedrecError('not-found', `recordPrivacySpend: no job "${jobId}"`);
      const { changes } = this.sql.upsertSpend.run({ jobId, round, epsilon, delta, accountant, now: now() });
      if (changes === 0) {
        const stored = this.sql.getSpend.get(jobId)!.round;
        throw new FedrecError('conflict', `recordPrivacySpend: job "${jobId}" has a spend for round ${stored}, later than round ${round}`);
      }
    });
  }

  async getPrivacySpend(jobId: string): Promise<PrivacySpend | undefined> {
    return this.guard('getPrivacySpend', () => {
      return optional(this.sql.getSpend.get(jobId), (row) => ({ ...row, accountant: JSON.parse(row.accountant) }));
    });
  }

  async listPrivacySpends(): Promise<PrivacySpend[]> {
    return this.guard('listPrivacySpends', () => this.sql.listSpends.all().map((row) => ({ ...row, accountant: JSON.parse(row.accountant) })));
  }

  async setPrivacyBudget(budget: PrivacyBudget | null): Promise<void> {
    this.guard('setPrivacyBudget', () => {
      const valid = checked('setPrivacyBudget', privacyBudget, budget);
      if (valid) this.sql.setBudget.run({ epsilon: valid.epsilon, delta: valid.delta, now: now() });
      else this.sql.clearBudget.run();
    });
  }

  async getPrivacyBudget(): Promise<PrivacyBudget | undefined> {
    return this.guard('getPrivacyBudget', () => optional(this.sql.getBudget.get(), (row) => ({ ...row })));
  }

  async completeRound(round: RoundRecord, weights: ModelWeights, optimizerState?: Float32Array): Promise<void> {
    this.guard('completeRound', () => {
      const valid = checked('completeRound', roundRecord, round);
      checkWeights('completeRound', weights);
      if (optimizerState !== undefined) checkOptimizerState('completeRound', optimizerState, weights);
      this.db.transaction(() => {
        const { jobId, round: number, releasedVersion, metrics, epsilon } = valid;
        if (!this.sql.getJob.get(jobId)) throw new FedrecError('not-found', `completeRound: no job "${jobId}"`);
        if (this.sql.hasRound.get(jobId, number)) {
          throw new FedrecError('conflict', `completeRound: round ${number} of job "${jobId}" is already completed`);
        }
        this.insertVersion('completeRound', { version: releasedVersion, jobId, round: number, metrics, epsilon }, weights);
        this.sql.insertRound.run({ ...valid, metrics: JSON.stringify(metrics) });
        this.sql.completeJobRound.run({ id: jobId, round: number, now: now() });
        if (optimizerState !== undefined) {
          this.sql.upsertOptimizerState.run({ jobId, version: releasedVersion, state: float32Blob(optimizerState) });
        }
      }).immediate();
    });
  }

  async getOptimizerState(jobId: string): Promise<{ version: number; state: Float32Array } | undefined> {
    return this.guard('getOptimizerState', () =>
      optional(this.sql.getOptimizerState.get(jobId), (row) => ({ version: row.version, state: float32sOf(row.state) })),
    );
  }

  async listRounds(jobId: string): Promise<RoundRecord[]> {
    return this.guard('listRounds', () => this.sql.listRounds.all(jobId).map((row) => ({ ...row, metrics: JSON.parse(row.metrics) })));
  }

  async saveModelVersion(record: Omit<ModelVersionRecord, 'createdAt'>, weights: ModelWeights): Promise<void> {
    this.guard('saveModelVersion', () => {
      const valid = checked('saveModelVersion', modelVersionInput, record);
      checkWeights('saveModelVersion', weights);
      if (valid.jobId !== null && !this.sql.getJob.get(valid.jobId)) {
        throw new FedrecError('not-found', `saveModelVersion: no job "${valid.jobId}"`);
      }
      this.insertVersion('saveModelVersion', valid, weights);
    });
  }

  async getModelVersion(version: number): Promise<{ record: ModelVersionRecord; weights: ModelWeights } | undefined> {
    return this.guard('getModelVersion', () => optional(this.sql.getVersion.get(version), (row) => {
      const { manifest, weights, ...record } = row;
      return { record: toVersion(record), weights: fromBytes(JSON.parse(manifest) as WeightsManifest, weights) };
    }));
  }

  async latestModelVersion(jobId?: string): Promise<ModelVersionRecord | undefined> {
    return this.guard('latestModelVersion', () => {
      const row = jobId === undefined ? this.sql.latestVersion.get() : this.sql.latestJobVersion.get(jobId);
      return optional(row, toVersion);
    });
  }

  async listModelVersions(): Promise<ModelVersionRecord[]> {
    return this.guard('listModelVersions', () => this.sql.listVersions.all().map(toVersion));
  }

  async nextModelVersion(): Promise<number> {
    return this.guard('nextModelVersion', () => (this.lastIssuedVersion = Math.max(this.sql.nextVersion.get()!.next, this.lastIssuedVersion + 1)));
  }

  async pruneModelVersions(keepRecent: number): Promise<number[]> {
    return this.guard('pruneModelVersions', () =>
      // IMMEDIATE: the states read and the weights dropped under one write lock, so an approval
      // committed by another request or process cannot land between the decision and the drop.
      this.db.transaction(() => {
        const states = this.governance.listModelStates();
        const pruned = versionsToPrune({ versions: this.sql.unprunedVersions.all(), states, keepRecent });
        const at = now();
        for (const version of pruned) this.sql.pruneVersion.run(at, version);
        return pruned;
      }).immediate(),
    );
  }

  async registerClient(client: Omit<ClientRecord, 'registeredAt' | 'lastSeenAt'>): Promise<ClientRecord> {
    return this.guard('registerClient', () => {
      const valid = checked('registerClient', clientInput, client);
      // Re-registering must not swap the token of an existing client id (that would hijack it).
      if (this.sql.getClient.get(valid.id)) throw new FedrecError('conflict', `registerClient: client "${valid.id}" is already registered`);
      this.sql.insertClient.run({ ...valid, now: now() });
      return this.sql.getClient.get(valid.id)!;
    });
  }

  async getClient(id: string): Promise<ClientRecord | undefined> {
    return this.guard('getClient', () => this.sql.getClient.get(id));
  }

  async touchClient(id: string): Promise<void> {
    this.guard('touchClient', () => {
      if (this.sql.touchClient.run({ id, now: now() }).changes === 0) throw new FedrecError('not-found', `touchClient: no client "${id}"`);
    });
  }

  async setClientPopulation(id: string, population: number): Promise<ClientRecord> {
    return this.guard('setClientPopulation', () => {
      const valid = checked('setClientPopulation', clientPopulation, population, ['population']);
      if (this.sql.setClientPopulation.run({ id, population: valid }).changes === 0) throw new FedrecError('not-found', `setClientPopulation: no client "${id}"`);
      return this.sql.getClient.get(id)!;
    });
  }

  async putCatalog(items: CatalogItem[]): Promise<{ inserted: number; updated: number }> {
    return this.guard('putCatalog', () => this.db.transaction(() => {
      let inserted = 0;
      let updated = 0;
      items.forEach((item, index) => {
        // Checked inside the transaction: a bad item after good ones rolls the good ones back.
        const valid = checked('putCatalog', catalogItem, item, ['items', index]);
        if (this.sql.hasCatalogItem.get(valid.id)) updated++;
        else inserted++;
        this.sql.upsertCatalogItem.run({ ...valid, promotion: Number(valid.promotion), novelty: Number(valid.novelty) });
      });
      return { inserted, updated };
    }).immediate());
  }

  async getCatalogItem(id: string): Promise<CatalogItem | undefined> {
    return this.guard('getCatalogItem', () => optional(this.sql.getCatalogItem.get(id), toCatalogItem));
  }

  async listCatalog(): Promise<CatalogItem[]> {
    return this.guard('listCatalog', () => this.sql.listCatalog.all().map(toCatalogItem));
  }

  async addExposure(increments: ExposureIncrement[]): Promise<void> {
    this.guard('addExposure', () => {
      // Exposure counters sit on the serving path and losing the last few to a power cut is
      // harmless, so they skip the per-commit fsync: a 10-increment batch took 0.1-0.25 ms instead
      // of ~1 ms (300 batches, ext4 VM). Safe to mix: the next FULL commit fsyncs the WAL, these
      // frames included, and a SIGKILL loses nothing either way.
      this.db.pragma('synchronous = NORMAL');
      try {
        this.db.transaction(() => {
          increments.forEach((increment, index) => {
            this.sql.addExposure.run(checked('addExposure', exposureIncrement, increment, ['increments', index]));
          });
        }).immediate();
      } finally {
        this.db.pragma('synchronous = FULL');
      }
    });
  }

  async readExposure(filter: ExposureFilter): Promise<Record<string, number>> {
    return this.guard('readExposure', () => {
      const { itemId, storeId = null, segment = null, fromDay = null, toDay = null } = filter;
      const rows = this.sql.readExposure.all({ itemId, storeId, segment, fromDay, toDay });
      // fromEntries defines own properties, so a key such as "__proto__" stays a plain counter.
      return Object.fromEntries(rows.map((row) => [row.key, row.total]));
    });
  }

  async listExposureDay(day: string): Promise<ExposureIncrement[]> {
    return this.guard('listExposureDay', () => {
      checked('listExposureDay', exposureDay, day, ['day']);
      return this.sql.listExposureDay.all(day);
    });
  }

  async unsealedExposureDays(beforeDay: string): Promise<string[]> {
    return this.guard('unsealedExposureDays', () => {
      checked('unsealedExposureDays', exposureDay, beforeDay, ['beforeDay']);
      return this.sql.unsealedDays.all(beforeDay).map((row) => row.day);
    });
  }

  async sealExposureDay(day: string, noised: ExposureIncrement[]): Promise<boolean> {
    return this.guard('sealExposureDay', () => {
      checked('sealExposureDay', exposureDay, day, ['day']);
      const valid = noised.map((increment, index) => checked('sealExposureDay', exposureIncrement, increment, ['noised', index]));
      const stray = valid.findIndex((increment) => increment.day !== day);
      if (stray >= 0) throw new FedrecError('invalid-input', `sealExposureDay: counter ${stray} is for ${valid[stray].day}, not ${day}`);
      // IMMEDIATE: the check and the mark are under one write lock, so two processes cannot both seal a day.
      return this.db.transaction(() => {
        if (this.sql.isSealed.get(day)) return false;
        this.sql.markSealed.run({ day, now: now() });
        for (const increment of valid) this.sql.insertSealed.run(increment);
        return true;
      }).immediate();
    });
  }

  async readSealedExposure(filter: ExposureFilter): Promise<Record<string, number>> {
    return this.guard('readSealedExposure', () => {
      const { itemId, storeId = null, segment = null, fromDay = null, toDay = null } = filter;
      const rows = this.sql.readSealed.all({ itemId, storeId, segment, fromDay, toDay });
      return Object.fromEntries(rows.map((row) => [row.key, row.total]));
    });
  }

  async createApiKey(key: Omit<ApiKeyRecord, 'createdAt' | 'revokedAt' | 'revokedBy'>, audit: AuditDraft): Promise<ApiKeyRecord> {
    return this.governance.createApiKey(key, audit);
  }

  async getApiKey(id: string): Promise<ApiKeyRecord | undefined> {
    return this.governance.getApiKey(id);
  }

  async findApiKeyByHash(keyHash: string): Promise<ApiKeyRecord | undefined> {
    return this.governance.findApiKeyByHash(keyHash);
  }

  async listApiKeys(): Promise<ApiKeyRecord[]> {
    return this.governance.listApiKeys();
  }

  async revokeApiKey(id: string, by: string, audit: AuditDraft): Promise<ApiKeyRecord> {
    return this.governance.revokeApiKey(id, by, audit);
  }

  async listModelStates(): Promise<ModelStateRecord[]> {
    return this.governance.listModelStates();
  }

  async changeModelStates(changes: ModelStateChange[], audit: AuditDraft): Promise<void> {
    this.governance.changeModelStates(changes, audit);
  }

  async getSetting(name: string): Promise<unknown> {
    return this.governance.getSetting(name);
  }

  async putSetting(name: string, value: unknown, audit: AuditDraft): Promise<void> {
    this.governance.putSetting(name, value, audit);
  }

  async appendAudit(entry: AuditDraft): Promise<AuditEntry> {
    return this.governance.appendAudit(entry);
  }

  async listAudit(filter?: AuditFilter): Promise<AuditEntry[]> {
    return this.governance.listAudit(filter);
  }

  async getShopperPreferences(pseudonym: string): Promise<ShopperPreferences | undefined> {
    return this.shoppers.getShopperPreferences(pseudonym);
  }

  async putShopperPreferences(pseudonym: string, preferences: Omit<ShopperPreferences, 'updatedAt'>, consentAudit?: AuditDraft): Promise<ShopperPreferences> {
    return this.shoppers.putShopperPreferences(pseudonym, preferences, consentAudit);
  }

  async listConsentHistory(pseudonym: string): Promise<ConsentRecord[]> {
    return this.shoppers.listConsentHistory(pseudonym);
  }

  async addShopperFeedback(pseudonym: string | null, feedback: Omit<FeedbackRecord, 'createdAt'>, suppression?: Omit<SuppressionRecord, 'createdAt'>): Promise<void> {
    this.shoppers.addShopperFeedback(pseudonym, feedback, suppression);
  }

  async listShopperFeedback(pseudonym: string): Promise<FeedbackRecord[]> {
    return this.shoppers.listShopperFeedback(pseudonym);
  }

  async listSuppressions(pseudonym: string): Promise<SuppressionRecord[]> {
    return this.shoppers.listSuppressions(pseudonym);
  }

  async eraseShopper(pseudonym: string, audit: (counts: ErasureCounts) => AuditDraft): Promise<ErasureCounts> {
    return this.shoppers.eraseShopper(pseudonym, audit);
  }

  async rekeyShoppers(rekey: (pseudonym: string) => string, audit: (shoppers: number) => AuditDraft): Promise<number> {
    return this.shoppers.rekeyShoppers(rekey, audit);
  }

  async getHoldoutAssignment(pseudonym: string): Promise<HoldoutAssignment | undefined> {
    return this.measurement.getHoldoutAssignment(pseudonym);
  }

  async assignHoldout(assignment: HoldoutAssignment): Promise<HoldoutAssignment> {
    return this.measurement.assignHoldout(assignment);
  }

  async listHoldoutAssignments(): Promise<HoldoutAssignment[]> {
    return this.measurement.listHoldoutAssignments();
  }

  async addIssuedRecommendations(recommendations: IssuedRecommendation[]): Promise<void> {
    return this.measurement.addIssuedRecommendations(recommendations);
  }

  async getIssuedRecommendations(ids: string[]): Promise<IssuedRecommendation[]> {
    return this.measurement.getIssuedRecommendations(ids);
  }

  async addOutcomeEvents(events: OutcomeEvent[]): Promise<OutcomeInsert> {
    return this.measurement.addOutcomeEvents(events);
  }

  async listOutcomeEvents(filter?: OutcomeFilter): Promise<OutcomeEvent[]> {
    return this.measurement.listOutcomeEvents(filter);
  }

  async listConsentChanges(filter?: { from?: string; to?: string }): Promise<ConsentChange[]> {
    return this.measurement.listConsentChanges(filter);
  }

  async listFeedbackBetween(filter?: { from?: string; to?: string }): Promise<(FeedbackRecord & { pseudonym: string | null })[]> {
    return this.measurement.listFeedbackBetween(filter);
  }

  async countSuppressions(at: string): Promise<{ suppressions: number; shoppers: number }> {
    return this.measurement.countSuppressions(at);
  }

  async purgeMeasurement(before: string): Promise<{ events: number; recommendations: number }> {
    return this.measurement.purgeMeasurement(before);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  private insertVersion(operation: string, record: Omit<ModelVersionRecord, 'createdAt'>, weights: ModelWeights): void {
    if (this.sql.hasVersion.get(record.version)) {
      throw new FedrecError('conflict', `${operation}: model version ${record.version} already exists`);
    }
    this.sql.insertVersion.run({
      ...record,
      metrics: JSON.stringify(record.metrics),
      manifest: JSON.stringify(weights.manifest),
      // The raw float32 bytes, never numbers, so NaN payloads and -0 survive bit for bit. They are in
      // the platform's byte order, little-endian everywhere Node runs, as serializeWeights assumes too.
      weights: float32Blob(weights.values),
      now: now(),
    });
  }

  /** Runs one call: refuses a closed store and maps SQLite failures to FedrecError codes. */
  private guard<T>(operation: string, run: () => T): T {
    if (!this.db.open) throw new FedrecError('unavailable', `${operation}: the store is closed`);
    try {
      return run();
    } catch (thrown) {
      throw translateSqliteError(operation, thrown);
    }
  }
}

function now(): string {
  return new Date().toISOString();
}

function optional<R, T>(row: R | undefined, convert: (row: R) => T): T | undefined {
  return row === undefined ? undefined : convert(row);
}

function toJob(row: JobRow): JobRecord {
  return { ...row, config: JSON.parse(row.config) };
}

function toVersion(row: VersionRow): ModelVersionRecord {
  return { ...row, metrics: JSON.parse(row.metrics) };
}

function toCatalogItem(row: CatalogRow): CatalogItem {
  return { ...row, promotion: row.promotion === 1, novelty: row.novelty === 1 };
}

function fromBytes(manifest: WeightsManifest, bytes: Buffer): ModelWeights {
  if (bytes.byteLength !== manifest.size * 4) {
    const message = `getModelVersion: stored weights hold ${bytes.byteLength} bytes, manifest says ${manifest.size} float32 values`;
    throw new FedrecError('internal', message);
  }
  return { manifest, values: float32sOf(bytes) };
}

/** Float32 values as a blob: their raw bytes (platform order, little-endian wherever Node runs), a view, not a copy. */
function float32Blob(values: Float32Array): Buffer {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
}

/** A blob of float32 bytes copied into a fresh Float32Array: a Buffer's byteOffset need not be 4-aligned. */
function float32sOf(bytes: Buffer): Float32Array {
  if (bytes.byteLength % 4 !== 0) throw new FedrecError('internal', `stored float32 values hold ${bytes.byteLength} bytes, not a multiple of 4`);
  const values = new Float32Array(bytes.byteLength / 4);
  new Uint8Array(values.buffer).set(bytes);
  return values;
}
