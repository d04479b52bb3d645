/**
 * The governance half of the SQLite store: API keys, model lifecycle states, settings and the
 * audit log. Every governance change and its audit entry commit in one IMMEDIATE transaction, so
 * the log can neither miss a change nor record one that did not happen. No statement here updates
 * or deletes an audit row.
 */
import type Database from 'better-sqlite3';
import { FedrecError } from '../errors/index.ts';
import { auditHash, genesisHash } from '../governance/audit-hash.ts';
import type { ApiKeyRecord, AuditDraft, AuditEntry, AuditFilter, ModelStateChange, ModelStateRecord } from './governance-records.ts';
import { apiKeyInput, auditDraft, auditFilter, modelStateChange, settingName } from './governance-validation.ts';
import { checked, toJsonText } from './store-validation.ts';

type Params = Record<string, string | number | null>;
interface StateRow { version: number; state: ModelStateRecord['state']; approval: string | null; kill: string | null; servingSince: string | null; updatedAt: string }
interface AuditRow { seq: number; time: string; actor: string; action: string; target: string; details: string; hash: string }

const keyColumns = `id, name, role, key_hash AS keyHash, created_at AS createdAt, created_by AS createdBy, revoked_at AS revokedAt,
  revoked_by AS revokedBy`;
const stateColumns = 'version, state, approval, kill, serving_since AS servingSince, updated_at AS updatedAt';
const auditColumns = 'seq, time, actor, action, target, details, hash';

function prepare(db: Database.Database) {
  return {
    insertKey: db.prepare<Params>(`INSERT INTO api_keys (id, name, role, key_hash, created_at, created_by, revoked_at, revoked_by)
      VALUES (@id, @name, @role, @keyHash, @now, @createdBy, NULL, NULL)`),
    getKey: db.prepare<[string], ApiKeyRecord>(`SELECT ${keyColumns} FROM api_keys WHERE id = ?`),
    keyByHash: db.prepare<[string], ApiKeyRecord>(`SELECT ${keyColumns} FROM api_keys WHERE key_hash = ?`),
    listKeys: db.prepare<[], ApiKeyRecord>(`SELECT ${keyColumns} FROM api_keys ORDER BY created_at, rowid`),
    // The WHERE makes a second revocation change nothing, inside the statement itself.
    revokeKey: db.prepare<Params>('UPDATE api_keys SET revoked_at = @now, revoked_by = @by WHERE id = @id AND revoked_at IS NULL'),

    listStates: db.prepare<[], StateRow>(`SELECT ${stateColumns} FROM model_states ORDER BY version`),
    getState: db.prepare<[number], StateRow>(`SELECT ${stateColumns} FROM model_states WHERE version = ?`),
    hasVersion: db.prepare<[number], { found: 1 }>('SELECT 1 AS found FROM model_versions WHERE version = ?'),
    upsertState: db.prepare<Params>(`INSERT INTO model_states (version, state, approval, kill, serving_since, updated_at)
      VALUES (@version, @state, @approval, @kill, @servingSince, @now)
      ON CONFLICT (version) DO UPDATE SET state = excluded.state, approval = excluded.approval, kill = excluded.kill,
        serving_since = excluded.serving_since, updated_at = excluded.updated_at`),

    getSetting: db.prepare<[string], { value: string }>('SELECT value FROM governance_settings WHERE name = ?'),
    putSetting: db.prepare<Params>(`INSERT INTO governance_settings (name, value, updated_at) VALUES (@name, @value, @now)
      ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`),

    auditHead: db.prepare<[], { seq: number; hash: string }>('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1'),
    insertAudit: db.prepare<Params>(`INSERT INTO audit_log (seq, time, actor, action, target, details, hash)
      VALUES (@seq, @time, @actor, @action, @target, @details, @hash)`),
    // NULL parameters switch a filter off; no limit is the largest safe integer (LIMIT -1 is SQLite's alone).
    listAudit: db.prepare<Params, AuditRow>(`SELECT ${auditColumns} FROM audit_log
      WHERE seq > @afterSeq AND (@action IS NULL OR action = @action) AND (@actor IS NULL OR actor = @actor)
        AND (@target IS NULL OR target = @target) AND (@from IS NULL OR time >= @from) AND (@to IS NULL OR time <= @to)
      ORDER BY seq LIMIT @limit`),
  };
}

/**
 * The governance methods over an open, migrated connection; `run` is the store's guard (closed
 * store, SQLite error mapping).
 */
export function sqliteGovernance(db: Database.Database, run: <T>(operation: string, body: () => T) => T) {
  const sql = prepare(db);
  const now = () => new Date().toISOString();

  const append = (operation: string, draft: AuditDraft): AuditEntry => {
    const valid = checked(operation, auditDraft, draft, ['audit']);
    const head = sql.auditHead.get();
    const entry = { seq: (head?.seq ?? 0) + 1, time: now(), ...valid };
    const hash = auditHash(head?.hash ?? genesisHash, entry);
    sql.insertAudit.run({ ...entry, details: toJsonText(operation, ['audit', 'details'], entry.details), hash });
    return { ...entry, hash };
  };

  return {
    /** Appends inside the caller's open transaction (the shopper half's consent, erasure and re-key entries). */
    appendWithin: append,
    createApiKey: (key: Omit<ApiKeyRecord, 'createdAt' | 'revokedAt' | 'revokedBy'>, audit: AuditDraft): ApiKeyRecord =>
      run('createApiKey', () => db.transaction(() => {
        const valid = checked('createApiKey', apiKeyInput, key);
        if (sql.getKey.get(valid.id) || sql.keyByHash.get(valid.keyHash)) throw new FedrecError('conflict', `createApiKey: key "${valid.id}" or its hash already exists`);
        sql.insertKey.run({ ...valid, now: now() });
        append('createApiKey', audit);
        return sql.getKey.get(valid.id)!;
      }).immediate()),
    getApiKey: (id: string) => run('getApiKey', () => sql.getKey.get(id)),
    findApiKeyByHash: (keyHash: string) => run('findApiKeyByHash', () => sql.keyByHash.get(keyHash)),
    listApiKeys: () => run('listApiKeys', () => sql.listKeys.all()),
    revokeApiKey: (id: string, by: string, audit: AuditDraft): ApiKeyRecord =>
      run('revokeApiKey', () => db.transaction(() => {
        const found = sql.getKey.get(id);
        if (!found) throw new FedrecError('not-found', `revokeApiKey: no key "${id}"`);
        if (sql.revokeKey.run({ id, by, now: now() }).changes === 0) throw new FedrecError('conflict', `revokeApiKey: key "${id}" is already revoked`);
        append('revokeApiKey', audit);
        return sql.getKey.get(id)!;
      }).immediate()),

    listModelStates: (): ModelStateRecord[] => run('listModelStates', () => sql.listStates.all().map(toState)),
    changeModelStates: (changes: ModelStateChange[], audit: AuditDraft): void =>
      run('changeModelStates', () => db.transaction(() => {
        const valid = changes.map((change, index) => checked('changeModelStates', modelStateChange, change, ['changes', index]));
        // Old rows leave `serving` before new ones enter it, so the one-serving index never sees two.
        const ordered = [...valid].sort((a, b) => Number(a.to.state === 'serving') - Number(b.to.state === 'serving'));
        for (const change of ordered) {
          if (!sql.hasVersion.get(change.version)) throw new FedrecError('not-found', `changeModelStates: no model version ${change.version}`);
          const current = sql.getState.get(change.version)?.state ?? null;
          if (current !== change.from) throw new FedrecError('conflict', `changeModelStates: version ${change.version} is ${current ?? 'without a state'}, not ${change.from ?? 'without a state'}`);
          const { state, approval, kill, servingSince } = change.to;
          sql.upsertState.run({ version: change.version, state, approval: approval && JSON.stringify(approval), kill: kill && JSON.stringify(kill), servingSince, now: now() });
        }
        append('changeModelStates', audit);
      }).immediate()),

    getSetting: (name: string): unknown => run('getSetting', () => {
      const row = sql.getSetting.get(name);
      return row === undefined ? undefined : JSON.parse(row.value);
    }),
    putSetting: (name: string, value: unknown, audit: AuditDraft): void =>
      run('putSetting', () => db.transaction(() => {
        checked('putSetting', settingName, name, ['name']);
        sql.putSetting.run({ name, value: toJsonText('putSetting', ['value'], value), now: now() });
        append('putSetting', audit);
      }).immediate()),

    appendAudit: (draft: AuditDraft): AuditEntry => run('appendAudit', () => db.transaction(() => append('appendAudit', draft)).immediate()),
    listAudit: (filter: AuditFilter = {}): AuditEntry[] => run('listAudit', () => {
      const f = checked('listAudit', auditFilter, filter);
      const rows = sql.listAudit.all({ action: f.action ?? null, actor: f.actor ?? null, target: f.target ?? null, from: f.from ?? null, to: f.to ?? null, afterSeq: f.afterSeq ?? 0, limit: f.limit ?? Number.MAX_SAFE_INTEGER });
      return rows.map((row) => ({ ...row, details: JSON.parse(row.details) }));
    }),
  };
}

function toState(row: StateRow): ModelStateRecord {
  return { ...row, approval: row.approval === null ? null : JSON.parse(row.approval), kill: row.kill === null ? null : JSON.parse(row.kill) };
}
