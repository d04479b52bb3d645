/**
 * The governance half of the memory store. As in `memory-store.ts`, every method checks
 * everything before it mutates anything, so a change and its audit entry happen together or not
 * at all. The audit log is an array that is only ever pushed to.
 */
import { FedrecError } from '../errors/index.ts';
import { auditHash, genesisHash } from '../governance/audit-hash.ts';
import type { ApiKeyRecord, AuditDraft, AuditEntry, AuditFilter, ModelStateChange, ModelStateRecord } from './governance-records.ts';
import { apiKeyInput, auditDraft, auditFilter, modelStateChange, settingName } from './governance-validation.ts';
import { checked, toJsonText } from './store-validation.ts';

export class MemoryGovernance {
  private readonly keys = new Map<string, ApiKeyRecord>();
  private readonly states = new Map<number, ModelStateRecord>();
  private readonly settings = new Map<string, string>();
  private readonly audit: AuditEntry[] = [];

  /** `hasVersion`: whether the store holds that model version (the foreign key SQLite enforces). */
  constructor(private readonly hasVersion: (version: number) => boolean) {}

  createApiKey(key: Omit<ApiKeyRecord, 'createdAt' | 'revokedAt' | 'revokedBy'>, audit: AuditDraft): ApiKeyRecord {
    const valid = checked('createApiKey', apiKeyInput, key);
    const draft = this.checkDraft('createApiKey', audit);
    if (this.keys.has(valid.id) || [...this.keys.values()].some((k) => k.keyHash === valid.keyHash)) {
      throw new FedrecError('conflict', `createApiKey: key "${valid.id}" or its hash already exists`);
    }
    const stored: ApiKeyRecord = { ...valid, createdAt: now(), revokedAt: null, revokedBy: null };
    this.keys.set(valid.id, stored);
    this.push(draft);
    return { ...stored };
  }

  getApiKey(id: string): ApiKeyRecord | undefined {
    const stored = this.keys.get(id);
    return stored && { ...stored };
  }

  findApiKeyByHash(keyHash: string): ApiKeyRecord | undefined {
    const stored = [...this.keys.values()].find((k) => k.keyHash === keyHash);
    return stored && { ...stored };
  }

  listApiKeys(): ApiKeyRecord[] {
    return [...this.keys.values()].map((k) => ({ ...k }));
  }

  revokeApiKey(id: string, by: string, audit: AuditDraft): ApiKeyRecord {
    const draft = this.checkDraft('revokeApiKey', audit);
    const stored = this.keys.get(id);
    if (!stored) throw new FedrecError('not-found', `revokeApiKey: no key "${id}"`);
    if (stored.revokedAt !== null) throw new FedrecError('conflict', `revokeApiKey: key "${id}" is already revoked`);
    Object.assign(stored, { revokedAt: now(), revokedBy: by });
    this.push(draft);
    return { ...stored };
  }

  listModelStates(): ModelStateRecord[] {
    return [...this.states.values()].sort((a, b) => a.version - b.version).map((s) => structuredClone(s));
  }

  changeModelStates(changes: ModelStateChange[], audit: AuditDraft): void {
    const valid = changes.map((change, index) => checked('changeModelStates', modelStateChange, change, ['changes', index]));
    const draft = this.checkDraft('changeModelStates', audit);
    for (const change of valid) {
      if (!this.hasVersion(change.version)) throw new FedrecError('not-found', `changeModelStates: no model version ${change.version}`);
      const current = this.states.get(change.version)?.state ?? null;
      if (current !== change.from) throw new FedrecError('conflict', `changeModelStates: version ${change.version} is ${current ?? 'without a state'}, not ${change.from ?? 'without a state'}`);
    }
    const serving = new Set([...this.states.values()].filter((s) => s.state === 'serving').map((s) => s.version));
    for (const change of valid) {
      if (change.to.state === 'serving') serving.add(change.version);
      else serving.delete(change.version);
    }
    if (serving.size > 1) throw new FedrecError('conflict', `changeModelStates: versions ${[...serving].join(', ')} would all be serving`);
    const at = now();
    for (const change of valid) this.states.set(change.version, structuredClone({ version: change.version, ...change.to, updatedAt: at }));
    this.push(draft);
  }

  getSetting(name: string): unknown {
    const text = this.settings.get(name);
    return text === undefined ? undefined : JSON.parse(text);
  }

  putSetting(name: string, value: unknown, audit: AuditDraft): void {
    checked('putSetting', settingName, name, ['name']);
    const text = toJsonText('putSetting', ['value'], value);
    const draft = this.checkDraft('putSetting', audit);
    this.settings.set(name, text);
    this.push(draft);
  }

  appendAudit(draft: AuditDraft): AuditEntry {
    return structuredClone(this.push(this.checkDraft('appendAudit', draft)));
  }

  listAudit(filter: AuditFilter = {}): AuditEntry[] {
    const f = checked('listAudit', auditFilter, filter);
    const matching = this.audit.filter((e) =>
      e.seq > (f.afterSeq ?? 0) && (f.action === undefined || e.action === f.action) && (f.actor === undefined || e.actor === f.actor) &&
      (f.target === undefined || e.target === f.target) && (f.from === undefined || e.time >= f.from) && (f.to === undefined || e.time <= f.to));
    return structuredClone(matching.slice(0, f.limit ?? matching.length));
  }

  /** Validated, and its details round-tripped through JSON text, so they read back as from SQLite. */
  private checkDraft(operation: string, draft: AuditDraft): AuditDraft {
    const valid = checked(operation, auditDraft, draft, ['audit']);
    return { ...valid, details: JSON.parse(toJsonText(operation, ['audit', 'details'], valid.details)) };
  }

  private push(draft: AuditDraft): AuditEntry {
    const head = this.audit[this.audit.length - 1];
    const fields = { seq: (head?.seq ?? 0) + 1, time: now(), ...draft };
    const entry = { ...fields, hash: auditHash(head?.hash ?? genesisHash, fields) };
    this.audit.push(entry);
    return entry;
  }
}

function now(): string {
  return new Date().toISOString();
}
