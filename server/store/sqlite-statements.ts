/**
 * Every statement the SQLite store runs, prepared once per connection (preparing is most of the
 * cost of a small query). Columns are aliased to the record field names, so rows need converting
 * only where SQLite's types differ: JSON text, 0/1 booleans and weight bytes.
 */
import type Database from 'better-sqlite3';
import type { ClientRecord, JobStatus } from './fedrec-store.ts';

export interface JobRow {
  id: string;
  config: string;
  status: JobStatus;
  statusDetail: string;
  completedRounds: number;
  createdAt: string;
  updatedAt: string;
}
export interface SpendRow { jobId: string; round: number; epsilon: number; delta: number; accountant: string }
export interface RoundRow {
  jobId: string;
  round: number;
  baseVersion: number;
  releasedVersion: number;
  clients: number;
  shoppers: number;
  metrics: string;
  epsilon: number;
  delta: number;
  startedAt: string;
  finishedAt: string;
}
export interface VersionRow {
  version: number;
  jobId: string | null;
  round: number;
  metrics: string;
  epsilon: number | null;
  createdAt: string;
}
export interface VersionWeightsRow { manifest: string; weights: Buffer }
export interface CatalogRow { id: string; name: string; category: string; brand: string; price: number; promotion: 0 | 1; novelty: 0 | 1 }

type Params = Record<string, string | number | Buffer | null>;

const jobColumns = `id, config, status, status_detail AS statusDetail, completed_rounds AS completedRounds,
  created_at AS createdAt, updated_at AS updatedAt`;
const roundColumns = `job_id AS jobId, round, base_version AS baseVersion, released_version AS releasedVersion, clients,
  shoppers, metrics, epsilon, delta, started_at AS startedAt, finished_at AS finishedAt`;
const versionColumns = 'version, job_id AS jobId, round, metrics, epsilon, created_at AS createdAt';
const catalogColumns = 'id, name, category, brand, price, promotion, novelty';
const clientColumns = 'id, store_id AS storeId, token_hash AS tokenHash, population, registered_at AS registeredAt, last_seen_at AS lastSeenAt';

/**
 * Prepares the store's statements on an open, migrated connection.
 * @example const sql = prepareStatements(db); sql.getJob.get('job-1');
 */
export function prepareStatements(db: Database.Database) {
  return {
    insertJob: db.prepare<Params>(`INSERT INTO jobs (id, config, status, status_detail, completed_rounds, created_at, updated_at)
      VALUES (@id, @config, 'created', '', 0, @now, @now)`),
    getJob: db.prepare<[string], JobRow>(`SELECT ${jobColumns} FROM jobs WHERE id = ?`),
    listJobs: db.prepare<[], JobRow>(`SELECT ${jobColumns} FROM jobs ORDER BY created_at, rowid`),
    setJobStatus: db.prepare<Params>('UPDATE jobs SET status = @status, status_detail = @detail, updated_at = @now WHERE id = @id'),
    // max() so a late retry of an earlier round can never make the job look less advanced.
    completeJobRound: db.prepare<Params>(`UPDATE jobs SET completed_rounds = max(completed_rounds, @round), updated_at = @now
      WHERE id = @id`),

    // The WHERE turns an attempt to move the round backwards into "0 rows changed" inside the same
    // statement, so no read-then-write race can slip an older spend in between.
    upsertOptimizerState: db.prepare<Params>(`INSERT INTO optimizer_states (job_id, version, state) VALUES (@jobId, @version, @state)
      ON CONFLICT (job_id) DO UPDATE SET version = excluded.version, state = excluded.state`),
    getOptimizerState: db.prepare<[string], { version: number; state: Buffer }>('SELECT version, state FROM optimizer_states WHERE job_id = ?'),
    upsertSpend: db.prepare<Params>(`INSERT INTO privacy_spend (job_id, round, epsilon, delta, accountant, updated_at)
      VALUES (@jobId, @round, @epsilon, @delta, @accountant, @now)
      ON CONFLICT (job_id) DO UPDATE SET round = excluded.round, epsilon = excluded.epsilon, delta = excluded.delta,
        accountant = excluded.accountant, updated_at = excluded.updated_at
      WHERE excluded.round >= privacy_spend.round`),
    getSpend: db.prepare<[string], SpendRow>(`SELECT job_id AS jobId, round, epsilon, delta, accountant FROM privacy_spend
      WHERE job_id = ?`),
    listSpends: db.prepare<[], SpendRow>(`SELECT s.job_id AS jobId, s.round, s.epsilon, s.delta, s.accountant FROM privacy_spend s
      JOIN jobs j ON j.id = s.job_id ORDER BY j.created_at, j.rowid`),
    setBudget: db.prepare<Params>(`INSERT INTO privacy_budget (id, epsilon, delta, updated_at) VALUES (1, @epsilon, @delta, @now)
      ON CONFLICT (id) DO UPDATE SET epsilon = excluded.epsilon, delta = excluded.delta, updated_at = excluded.updated_at`),
    clearBudget: db.prepare<[]>('DELETE FROM privacy_budget'),
    getBudget: db.prepare<[], { epsilon: number; delta: number }>('SELECT epsilon, delta FROM privacy_budget WHERE id = 1'),

    insertRound: db.prepare<Params>(`INSERT INTO rounds (job_id, round, base_version, released_version, clients, shoppers, metrics,
        epsilon, delta, started_at, finished_at)
      VALUES (@jobId, @round, @baseVersion, @releasedVersion, @clients, @shoppers, @metrics, @epsilon, @delta, @startedAt, @finishedAt)`),
    hasRound: db.prepare<[string, number], { found: 1 }>('SELECT 1 AS found FROM rounds WHERE job_id = ? AND round = ?'),
    listRounds: db.prepare<[string], RoundRow>(`SELECT ${roundColumns} FROM rounds WHERE job_id = ? ORDER BY round`),

    insertVersion: db.prepare<Params>(`INSERT INTO model_versions (version, job_id, round, metrics, epsilon, manifest, weights, created_at)
      VALUES (@version, @jobId, @round, @metrics, @epsilon, @manifest, @weights, @now)`),
    hasVersion: db.prepare<[number], { found: 1 }>('SELECT 1 AS found FROM model_versions WHERE version = ?'),
    getVersion: db.prepare<[number], VersionRow & VersionWeightsRow>(`SELECT ${versionColumns}, manifest, weights FROM model_versions
      WHERE version = ? AND pruned_at IS NULL`),
    unprunedVersions: db.prepare<[], { version: number; jobId: string | null }>('SELECT version, job_id AS jobId FROM model_versions WHERE pruned_at IS NULL'),
    pruneVersion: db.prepare<[string, number]>(`UPDATE model_versions SET weights = X'', pruned_at = ? WHERE version = ? AND pruned_at IS NULL`),
    latestVersion: db.prepare<[], VersionRow>(`SELECT ${versionColumns} FROM model_versions ORDER BY version DESC LIMIT 1`),
    latestJobVersion: db.prepare<[string], VersionRow>(`SELECT ${versionColumns} FROM model_versions WHERE job_id = ?
      ORDER BY version DESC LIMIT 1`),
    listVersions: db.prepare<[], VersionRow>(`SELECT ${versionColumns} FROM model_versions ORDER BY version`),
    nextVersion: db.prepare<[], { next: number }>('SELECT coalesce(max(version) + 1, 0) AS next FROM model_versions'),

    insertClient: db.prepare<Params>(`INSERT INTO clients (id, store_id, token_hash, population, registered_at, last_seen_at)
      VALUES (@id, @storeId, @tokenHash, @population, @now, NULL)`),
    getClient: db.prepare<[string], ClientRecord>(`SELECT ${clientColumns} FROM clients WHERE id = ?`),
    touchClient: db.prepare<Params>('UPDATE clients SET last_seen_at = @now WHERE id = @id'),
    setClientPopulation: db.prepare<Params>('UPDATE clients SET population = @population WHERE id = @id'),

    hasCatalogItem: db.prepare<[string], { found: 1 }>('SELECT 1 AS found FROM catalog WHERE id = ?'),
    upsertCatalogItem: db.prepare<Params>(`INSERT INTO catalog (id, name, category, brand, price, promotion, novelty)
      VALUES (@id, @name, @category, @brand, @price, @promotion, @novelty)
      ON CONFLICT (id) DO UPDATE SET name = excluded.name, category = excluded.category, brand = excluded.brand,
        price = excluded.price, promotion = excluded.promotion, novelty = excluded.novelty`),
    getCatalogItem: db.prepare<[string], CatalogRow>(`SELECT ${catalogColumns} FROM catalog WHERE id = ?`),
    // rowid order is first-insertion order (an upsert keeps its row), the same order the memory store keeps.
    listCatalog: db.prepare<[], CatalogRow>(`SELECT ${catalogColumns} FROM catalog ORDER BY rowid`),

    addExposure: db.prepare<Params>(`INSERT INTO exposure (item_id, store_id, segment, day, key, value)
      VALUES (@itemId, @storeId, @segment, @day, @key, @amount)
      ON CONFLICT (item_id, store_id, segment, day, key) DO UPDATE SET value = value + excluded.value`),
    // NULL parameters switch a filter off; item_id, the key's prefix, still drives the index.
    readExposure: db.prepare<Params, { key: string; total: number }>(`SELECT key, sum(value) AS total FROM exposure
      WHERE item_id = @itemId AND (@storeId IS NULL OR store_id = @storeId) AND (@segment IS NULL OR segment = @segment)
        AND (@fromDay IS NULL OR day >= @fromDay) AND (@toDay IS NULL OR day <= @toDay)
      GROUP BY key ORDER BY key`),
    listExposureDay: db.prepare<[string], { itemId: string; storeId: string; segment: string; day: string; key: string; amount: number }>(
      `SELECT item_id AS itemId, store_id AS storeId, segment, day, key, value AS amount FROM exposure WHERE day = ?
      ORDER BY item_id, store_id, segment, key`),
    unsealedDays: db.prepare<[string], { day: string }>(`SELECT DISTINCT e.day FROM exposure e
      WHERE e.day < ? AND NOT EXISTS (SELECT 1 FROM exposure_sealed_days s WHERE s.day = e.day) ORDER BY e.day`),
    isSealed: db.prepare<[string], { found: 1 }>('SELECT 1 AS found FROM exposure_sealed_days WHERE day = ?'),
    markSealed: db.prepare<Params>('INSERT INTO exposure_sealed_days (day, sealed_at) VALUES (@day, @now)'),
    insertSealed: db.prepare<Params>(`INSERT INTO exposure_sealed (item_id, store_id, segment, day, key, value)
      VALUES (@itemId, @storeId, @segment, @day, @key, @amount)`),
    readSealed: db.prepare<Params, { key: string; total: number }>(`SELECT key, sum(value) AS total FROM exposure_sealed
      WHERE item_id = @itemId AND (@storeId IS NULL OR store_id = @storeId) AND (@segment IS NULL OR segment = @segment)
        AND (@fromDay IS NULL OR day >= @fromDay) AND (@toDay IS NULL OR day <= @toDay)
      GROUP BY key ORDER BY key`),
  };
}

export type SqliteStatements = ReturnType<typeof prepareStatements>;
