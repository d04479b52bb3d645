/**
 * The governance records every store keeps: API keys (only their hash), the lifecycle state of
 * model versions, the deployment's governance settings, and the hash-chained audit log. The
 * rules that use them live in `server/governance/`; a store only keeps them, and writes every
 * governance change together with its audit entry in one transaction.
 */
export const roles = ['admin', 'approver', 'engineer', 'merchant', 'app'] as const;
export type Role = (typeof roles)[number];

export interface ApiKeyRecord {
  /** Public id of the key (`key_…`): what the audit log names as the actor, never the key itself. */
  id: string;
  name: string;
  role: Role;
  /** Lower-case hex SHA-256 of the key; the key itself is never stored. */
  keyHash: string;
  createdAt: string;
  createdBy: string;
  revokedAt: string | null;
  revokedBy: string | null;
}

/**
 * `candidate`: released by training, never approved. `serving`: the one version served (at most
 * one). `retired`: was serving, replaced by a later approval (it can serve again after a kill).
 * `killed`: taken out of serving by an approver; it never serves again.
 */
export const modelStates = ['candidate', 'serving', 'retired', 'killed'] as const;
export type ModelState = (typeof modelStates)[number];

/** One gate's verdict, recorded with the approval (or the refusal). */
export interface GateResult {
  gate: string;
  /** The measured value; null when the version has none (a gate with a threshold then fails). */
  value: number | null;
  threshold: number;
  passed: boolean;
  /** Where the value came from (the round of the job's evaluation, the accountant). */
  source: string;
}

export interface ApprovalRecord {
  by: string;
  at: string;
  reason: string;
  gates: GateResult[];
}

export interface KillRecord {
  by: string;
  at: string;
  reason: string;
}

export interface ModelStateRecord {
  version: number;
  state: ModelState;
  approval: ApprovalRecord | null;
  kill: KillRecord | null;
  /** When the version last entered `serving` (orders the versions a kill may fall back to). */
  servingSince: string | null;
  updatedAt: string;
}

/** A lifecycle change, applied only if the version is still in `from` (null: it has no state row yet). */
export interface ModelStateChange {
  version: number;
  from: ModelState | null;
  to: Omit<ModelStateRecord, 'version' | 'updatedAt'>;
}

/** What a caller appends; the store assigns the sequence number, the time and the hash. */
export interface AuditDraft {
  /** The key id that acted, or `system` (the coordinator itself, first start, a local CLI). */
  actor: string;
  action: string;
  target: string;
  /** Free-form JSON: never a key, a raw shopper id or anything a shopper could be found by. */
  details: Record<string, unknown>;
}

export interface AuditEntry extends AuditDraft {
  seq: number;
  time: string;
  /** SHA-256 (hex) of the previous entry's hash ‖ the canonical JSON of this entry (see `server/governance/audit-hash.ts`). */
  hash: string;
}

export interface AuditFilter {
  action?: string;
  actor?: string;
  target?: string;
  /** Inclusive ISO time range. */
  from?: string;
  to?: string;
  /** Entries after this sequence number (paging). */
  afterSeq?: number;
  limit?: number;
}

export interface GovernanceStore {
  /** Stores the key and appends its audit entry, atomically. A duplicate id or hash is a conflict. */
  createApiKey(key: Omit<ApiKeyRecord, 'createdAt' | 'revokedAt' | 'revokedBy'>, audit: AuditDraft): Promise<ApiKeyRecord>;
  getApiKey(id: string): Promise<ApiKeyRecord | undefined>;
  findApiKeyByHash(keyHash: string): Promise<ApiKeyRecord | undefined>;
  listApiKeys(): Promise<ApiKeyRecord[]>;
  /** Revokes an unrevoked key and appends the audit entry, atomically; not-found / conflict otherwise. */
  revokeApiKey(id: string, by: string, audit: AuditDraft): Promise<ApiKeyRecord>;

  listModelStates(): Promise<ModelStateRecord[]>;
  /**
   * Applies every change and appends the audit entry in one transaction, or none of them: a
   * version no longer in its `from` state is a conflict (someone else changed it first).
   */
  changeModelStates(changes: ModelStateChange[], audit: AuditDraft): Promise<void>;

  getSetting(name: string): Promise<unknown>;
  /** Sets a governance setting (JSON) and appends its audit entry, atomically. */
  putSetting(name: string, value: unknown, audit: AuditDraft): Promise<void>;

  /** Appends one entry at the head of the chain. The log has no update or delete. */
  appendAudit(entry: AuditDraft): Promise<AuditEntry>;
  listAudit(filter?: AuditFilter): Promise<AuditEntry[]>;
}
