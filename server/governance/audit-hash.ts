/**
 * The audit chain's hash: `hash = SHA-256(previous hash ‖ canonical JSON of the entry)`, over the
 * entry's seq, time, actor, action, target and details. Canonical JSON is RFC 8785 (JCS) for the
 * values audit details hold: object keys sorted by UTF-16 code units, no whitespace, strings and
 * numbers serialised as ECMAScript's JSON.stringify does (which is what JCS prescribes, Sec. 3.2.2).
 * Any two implementations (this one, a PostgreSQL job, an auditor's script) agree byte for byte.
 */
import { createHash } from 'node:crypto';

/** The previous hash of the first entry. */
export const genesisHash = '0'.repeat(64);

/** @example canonicalJson({ b: 1, a: [true, null] }) // '{"a":[true,null],"b":1}' */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${value} has no JSON form`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    // Default sort compares UTF-16 code units, as RFC 8785 Sec. 3.2.3 asks.
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  throw new TypeError(`canonicalJson: a ${typeof value} has no JSON form`);
}

export interface HashedFields {
  seq: number;
  time: string;
  actor: string;
  action: string;
  target: string;
  details: Record<string, unknown>;
}

/** @example auditHash(genesisHash, { seq: 1, time, actor: 'system', action: 'key.created', target: 'key_1', details: {} }) */
export function auditHash(previousHash: string, entry: HashedFields): string {
  const { seq, time, actor, action, target, details } = entry;
  return createHash('sha256').update(previousHash).update(canonicalJson({ seq, time, actor, action, target, details })).digest('hex');
}
