/**
 * The SQLite schema, as an append-only list of migrations keyed by `PRAGMA user_version`. A
 * database at version n has run migrations[0..n); opening runs the rest in one transaction, so a
 * crash mid-migration leaves the previous version intact. Never edit a shipped migration: append.
 *
 * Tables are STRICT so a mistyped binding fails loudly instead of being coerced, and the CHECK
 * constraints repeat `store-validation.ts` as a backstop for anything that writes around the store.
 */
import type Database from 'better-sqlite3';
import { FedrecError } from '../errors/index.ts';

export const migrations: readonly string[] = [
  `
  CREATE TABLE jobs (
    id               TEXT PRIMARY KEY CHECK (id <> ''),
    config           TEXT NOT NULL CHECK (json_valid(config)),
    status           TEXT NOT NULL CHECK (status IN ('created', 'running', 'paused', 'completed', 'failed', 'budget-exhausted')),
    status_detail    TEXT NOT NULL DEFAULT '',
    completed_rounds INTEGER NOT NULL DEFAULT 0 CHECK (completed_rounds >= 0),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
  ) STRICT;

  -- One row per job, upserted; the statement that writes it refuses to move round backwards.
  CREATE TABLE privacy_spend (
    job_id     TEXT PRIMARY KEY REFERENCES jobs(id),
    round      INTEGER NOT NULL CHECK (round >= 0),
    epsilon    REAL NOT NULL CHECK (epsilon >= 0),
    delta      REAL NOT NULL CHECK (delta >= 0 AND delta < 1),
    accountant TEXT NOT NULL CHECK (json_valid(accountant)),
    updated_at TEXT NOT NULL
  ) STRICT;

  -- Manifest and raw float32 bytes are kept apart so listing versions never reads the weights.
  CREATE TABLE model_versions (
    version    INTEGER PRIMARY KEY CHECK (version >= 0),
    job_id     TEXT REFERENCES jobs(id),
    round      INTEGER NOT NULL CHECK (round >= 0),
    metrics    TEXT NOT NULL CHECK (json_valid(metrics)),
    epsilon    REAL CHECK (epsilon >= 0),
    manifest   TEXT NOT NULL CHECK (json_valid(manifest)),
    weights    BLOB NOT NULL,
    created_at TEXT NOT NULL
  ) STRICT;
  CREATE INDEX model_versions_by_job ON model_versions (job_id, version);

  CREATE TABLE rounds (
    job_id           TEXT NOT NULL REFERENCES jobs(id),
    round            INTEGER NOT NULL CHECK (round >= 1),
    base_version     INTEGER NOT NULL CHECK (base_version >= 0),
    released_version INTEGER NOT NULL REFERENCES model_versions(version),
    clients          INTEGER NOT NULL CHECK (clients >= 0),
    shoppers         INTEGER NOT NULL CHECK (shoppers >= 0),
    metrics          TEXT NOT NULL CHECK (json_valid(metrics)),
    epsilon          REAL NOT NULL CHECK (epsilon >= 0),
    delta            REAL NOT NULL CHECK (delta >= 0 AND delta < 1),
    started_at       TEXT NOT NULL,
    finished_at      TEXT NOT NULL,
    PRIMARY KEY (job_id, round)
  ) STRICT;

  CREATE TABLE clients (
    id            TEXT PRIMARY KEY CHECK (id <> ''),
    store_id      TEXT NOT NULL,
    -- Lower-case hex sha256; a raw token (any other shape) cannot be stored by mistake.
    token_hash    TEXT NOT NULL CHECK (length(token_hash) = 64 AND token_hash NOT GLOB '*[^0-9a-f]*'),
    registered_at TEXT NOT NULL,
    last_seen_at  TEXT
  ) STRICT;

  CREATE TABLE catalog (
    id        TEXT PRIMARY KEY CHECK (id <> ''),
    name      TEXT NOT NULL,
    category  TEXT NOT NULL,
    brand     TEXT NOT NULL,
    -- The upper bound rejects Infinity, which a REAL column otherwise stores happily.
    price     REAL NOT NULL CHECK (price > 0 AND price < 1e308),
    promotion INTEGER NOT NULL CHECK (promotion IN (0, 1)),
    novelty   INTEGER NOT NULL CHECK (novelty IN (0, 1))
  ) STRICT;

  -- Aggregate counters only: nothing here identifies a shopper.
  CREATE TABLE exposure (
    item_id  TEXT NOT NULL,
    store_id TEXT NOT NULL,
    segment  TEXT NOT NULL,
    day      TEXT NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    key      TEXT NOT NULL CHECK (key <> ''),
    value    REAL NOT NULL,
    PRIMARY KEY (item_id, store_id, segment, day, key)
  ) STRICT, WITHOUT ROWID;
  `,
  // 2: each client's registered population (clients registered before it get 0 and take part in
  // no job until the operator sets theirs), and 'cancelled' jobs. A CHECK cannot be altered, so
  // jobs is rebuilt the way SQLite documents (ALTER TABLE, section 7), with foreign keys off.
  `
  ALTER TABLE clients ADD COLUMN population INTEGER NOT NULL DEFAULT 0 CHECK (population >= 0 AND population <= 9007199254740991);

  CREATE TABLE jobs_v2 (
    id               TEXT PRIMARY KEY CHECK (id <> ''),
    config           TEXT NOT NULL CHECK (json_valid(config)),
    status           TEXT NOT NULL CHECK (status IN ('created', 'running', 'paused', 'completed', 'failed', 'budget-exhausted', 'cancelled')),
    status_detail    TEXT NOT NULL DEFAULT '',
    completed_rounds INTEGER NOT NULL DEFAULT 0 CHECK (completed_rounds >= 0),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
  ) STRICT;
  INSERT INTO jobs_v2 SELECT id, config, status, status_detail, completed_rounds, created_at, updated_at FROM jobs;
  DROP TABLE jobs;
  ALTER TABLE jobs_v2 RENAME TO jobs;
  `,
  // 3: the lifetime privacy budget and the sealed, noised merchant-view days.
  `
  -- The operator's lifetime privacy budget: at most one row.
  CREATE TABLE privacy_budget (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    epsilon    REAL NOT NULL CHECK (epsilon > 0 AND epsilon < 1e308),
    delta      REAL NOT NULL CHECK (delta > 0 AND delta < 1),
    updated_at TEXT NOT NULL
  ) STRICT;

  -- A day's merchant-view counters, noised once when the day is sealed; the merchant view reads only these.
  CREATE TABLE exposure_sealed_days (
    day       TEXT PRIMARY KEY CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    sealed_at TEXT NOT NULL
  ) STRICT;
  CREATE TABLE exposure_sealed (
    item_id  TEXT NOT NULL,
    store_id TEXT NOT NULL,
    segment  TEXT NOT NULL,
    day      TEXT NOT NULL REFERENCES exposure_sealed_days(day),
    key      TEXT NOT NULL CHECK (key <> ''),
    value    REAL NOT NULL,
    PRIMARY KEY (item_id, store_id, segment, day, key)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX exposure_by_day ON exposure (day);
  `,
  // 4: governance: API keys, model lifecycle states, settings and the hash-chained audit log.
  `
  -- Governance (issue 12). Keys are stored as their SHA-256 only.
  CREATE TABLE api_keys (
    id         TEXT PRIMARY KEY CHECK (id <> ''),
    name       TEXT NOT NULL,
    role       TEXT NOT NULL CHECK (role IN ('admin', 'approver', 'engineer', 'merchant', 'app')),
    key_hash   TEXT NOT NULL UNIQUE CHECK (length(key_hash) = 64 AND key_hash NOT GLOB '*[^0-9a-f]*'),
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    revoked_at TEXT,
    revoked_by TEXT
  ) STRICT;

  -- A version without a row has no lifecycle state yet (a training release is a candidate).
  CREATE TABLE model_states (
    version       INTEGER PRIMARY KEY REFERENCES model_versions(version),
    state         TEXT NOT NULL CHECK (state IN ('candidate', 'serving', 'retired', 'killed')),
    approval      TEXT CHECK (approval IS NULL OR json_valid(approval)),
    kill          TEXT CHECK (kill IS NULL OR json_valid(kill)),
    serving_since TEXT,
    updated_at    TEXT NOT NULL
  ) STRICT;
  -- At most one serving version, whatever writes the table (a partial index, as in PostgreSQL).
  CREATE UNIQUE INDEX model_states_one_serving ON model_states (state) WHERE state = 'serving';

  CREATE TABLE governance_settings (
    name       TEXT PRIMARY KEY,
    value      TEXT NOT NULL CHECK (json_valid(value)),
    updated_at TEXT NOT NULL
  ) STRICT;

  -- Append-only in code: no statement of the store updates or deletes a row (a test reads them all).
  CREATE TABLE audit_log (
    seq     INTEGER PRIMARY KEY CHECK (seq >= 1),
    time    TEXT NOT NULL,
    actor   TEXT NOT NULL,
    action  TEXT NOT NULL,
    target  TEXT NOT NULL,
    details TEXT NOT NULL CHECK (json_valid(details)),
    hash    TEXT NOT NULL CHECK (length(hash) = 64)
  ) STRICT;
  CREATE INDEX audit_log_by_action ON audit_log (action, seq);
  CREATE INDEX audit_log_by_actor ON audit_log (actor, seq);
  `,
  // 5: shopper rights. Every row is keyed by the shopper's pseudonym (an HMAC of the retailer's id
  // under a key kept outside this file), never by the id; erasure deletes by it in every table.
  `
  CREATE TABLE shopper_preferences (
    pseudonym           TEXT PRIMARY KEY CHECK (length(pseudonym) = 64),
    consent             TEXT CHECK (consent IS NULL OR json_valid(consent)),
    do_not_target       INTEGER NOT NULL CHECK (do_not_target IN (0, 1)),
    excluded_categories TEXT NOT NULL CHECK (json_valid(excluded_categories)),
    excluded_brands     TEXT NOT NULL CHECK (json_valid(excluded_brands)),
    updated_at          TEXT NOT NULL
  ) STRICT;

  CREATE TABLE shopper_consent_history (
    pseudonym TEXT NOT NULL CHECK (length(pseudonym) = 64),
    seq       INTEGER NOT NULL,
    record    TEXT NOT NULL CHECK (json_valid(record)),
    PRIMARY KEY (pseudonym, seq)
  ) STRICT;

  CREATE TABLE shopper_suppressions (
    pseudonym  TEXT NOT NULL CHECK (length(pseudonym) = 64),
    item_id    TEXT NOT NULL,
    reason     TEXT NOT NULL CHECK (reason IN ('never-show', 'not-relevant')),
    until      TEXT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (pseudonym, item_id, reason)
  ) STRICT;

  -- pseudonym NULL: feedback sent without a shopper id (it still counts towards complaint rates).
  CREATE TABLE shopper_feedback (
    id                INTEGER PRIMARY KEY,
    pseudonym         TEXT CHECK (pseudonym IS NULL OR length(pseudonym) = 64),
    item_id           TEXT NOT NULL,
    model_version     INTEGER NOT NULL,
    recommendation_id TEXT,
    kind              TEXT NOT NULL CHECK (kind IN ('not-relevant', 'never-show', 'rating')),
    rating            INTEGER CHECK (rating IS NULL OR rating BETWEEN 1 AND 5),
    created_at        TEXT NOT NULL
  ) STRICT;
  CREATE INDEX shopper_feedback_by_pseudonym ON shopper_feedback (pseudonym);
  `,
  // Measurement (issue 14): holdout assignments, recommendations issued to named shoppers, outcome
  // events. Keyed by pseudonym like the shopper tables, so erasure and re-keying reach them.
  `
  CREATE TABLE experiment_assignments (
    pseudonym        TEXT PRIMARY KEY CHECK (length(pseudonym) = 64),
    experiment_group TEXT NOT NULL CHECK (experiment_group IN ('treatment', 'holdout')),
    share            REAL NOT NULL CHECK (share >= 0 AND share <= 1),
    assigned_at      TEXT NOT NULL
  ) STRICT;

  CREATE TABLE issued_recommendations (
    id               TEXT PRIMARY KEY,
    pseudonym        TEXT NOT NULL CHECK (length(pseudonym) = 64),
    experiment_group TEXT NOT NULL CHECK (experiment_group IN ('treatment', 'holdout')),
    model_version    INTEGER,
    items            TEXT NOT NULL CHECK (json_valid(items)),
    issued_at        TEXT NOT NULL
  ) STRICT;
  CREATE INDEX issued_recommendations_by_pseudonym ON issued_recommendations (pseudonym);
  CREATE INDEX issued_recommendations_by_time ON issued_recommendations (issued_at);

  CREATE TABLE outcome_events (
    id                INTEGER PRIMARY KEY,
    event_id          TEXT NOT NULL,
    pseudonym         TEXT NOT NULL CHECK (length(pseudonym) = 64),
    kind              TEXT NOT NULL CHECK (kind IN ('impression', 'click', 'add-to-cart', 'purchase')),
    recommendation_id TEXT,
    item_id           TEXT NOT NULL,
    position          INTEGER,
    value             REAL CHECK (value IS NULL OR value >= 0),
    currency          TEXT,
    model_version     INTEGER,
    experiment_group  TEXT NOT NULL CHECK (experiment_group IN ('treatment', 'holdout')),
    at                TEXT NOT NULL,
    UNIQUE (pseudonym, event_id, item_id)
  ) STRICT;
  CREATE INDEX outcome_events_by_time ON outcome_events (at);
  `,
  `
  -- Issue 15: model-version pruning (server/store/model-retention.ts). A pruned version keeps its
  -- row (rounds, lifecycle states and the audit log name it); its weights are emptied.
  ALTER TABLE model_versions ADD COLUMN pruned_at TEXT;
  `,
  `
  -- A job's server-optimizer state after its latest released round (FedAdam's moments, float32
  -- bytes), written in the same transaction as the round, so a resumed job continues it exactly.
  CREATE TABLE optimizer_states (
    job_id  TEXT PRIMARY KEY REFERENCES jobs(id),
    version INTEGER NOT NULL CHECK (version >= 0),
    state   BLOB NOT NULL
  ) STRICT;
  `,
];

/** The schema version this code writes: the number of migrations. */
export const schemaVersion = migrations.length;

/**
 * Brings the database up to `schemaVersion`, returning the version it found. Refuses a database
 * written by newer code rather than guessing what its extra migrations meant.
 * @example const from = migrate(db); // 0 on a fresh file, schemaVersion on the next open
 */
export function migrate(db: Database.Database): number {
  const readVersion = () => db.pragma('user_version', { simple: true }) as number;
  if (readVersion() === schemaVersion) return schemaVersion;
  // Foreign keys must be off while a table other tables reference is rebuilt (SQLite cannot switch
  // them inside a transaction); they are checked before the migration commits, and switched back on.
  const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number;
  db.pragma('foreign_keys = OFF');
  try {
    return migrateLocked(db, readVersion);
  } finally {
    db.pragma(`foreign_keys = ${foreignKeys ? 'ON' : 'OFF'}`);
  }
}

function migrateLocked(db: Database.Database, readVersion: () => number): number {
  // IMMEDIATE takes the write lock before re-reading the version, so two processes opening the
  // same fresh file cannot both run migration 0.
  return db.transaction(() => {
    const found = readVersion();
    if (found > schemaVersion) {
      throw new FedrecError('internal', `migrate: database schema version ${found} is newer than this code's ${schemaVersion}`);
    }
    for (let version = found; version < schemaVersion; version++) {
      db.exec(migrations[version]);
      // user_version lives in the database header, so it commits or rolls back with the DDL above.
      db.pragma(`user_version = ${version + 1}`);
    }
    const broken = db.pragma('foreign_key_check') as unknown[];
    if (broken.length > 0) throw new FedrecError('internal', `migrate: ${broken.length} foreign key violations after migrating`);
    return found;
  }).immediate();
}
