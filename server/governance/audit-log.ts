/**
 * The audit log's two operations besides appending: recording a governance action (the one
 * function every part calls: jobs, approvals, budgets, later consent and erasure) and verifying
 * the chain. Entries name actors by key id and targets by job id, model version or key id, never
 * a shopper.
 */
import type { AuditDraft, AuditEntry, FedrecStore } from '../store/index.ts';
import { auditHash, genesisHash } from './audit-hash.ts';

/** `system`: the coordinator itself, a first start, or a command run on the database file. */
export const systemActor = 'system';

/**
 * @example await recordGovernanceAction(store, { actor: principal.keyId, action: 'budget.changed', target: 'deployment', details: { epsilon: 10 } });
 */
export function recordGovernanceAction(store: FedrecStore, entry: { actor: string; action: string; target: string; details?: Record<string, unknown> }): Promise<AuditEntry> {
  return store.appendAudit({ details: {}, ...entry });
}

/**
 * A job's status change, as the audit log records it (`job.running`, `job.completed`, `job.paused`,
 * `job.failed`, `job.cancelled` …): call it wherever a job's status is written.
 * @example await recordJobStatus(store, jobId, 'failed', 'no stored model version to resume from');
 */
export function recordJobStatus(store: FedrecStore, jobId: string, status: string, detail = '', actor = systemActor): Promise<AuditEntry> {
  return store.appendAudit(jobStatusAudit(jobId, status, detail, actor));
}

/**
 * The audit entry of a job's status change, for `FedrecStore.setJobStatus` to append in the same
 * transaction as the status itself (or for `recordJobStatus`, when no status is written).
 * @example await store.setJobStatus(jobId, 'paused', detail, jobStatusAudit(jobId, 'paused', detail));
 */
export function jobStatusAudit(jobId: string, status: string, detail = '', actor = systemActor): AuditDraft {
  return { actor, action: `job.${status}`, target: jobId, details: detail ? { detail } : {} };
}

export interface AuditVerification {
  ok: boolean;
  entries: number;
  /** The last entry's hash (the genesis hash of an empty log). */
  head: string;
  /** The first entry whose hash does not follow from the one before (or whose seq breaks the sequence). */
  firstBadEntry: number | null;
  /** With an expected head: whether it is one of the chain's hashes (a truncated tail loses it). */
  expectedHead?: { hash: string; found: boolean };
}

/** Pages of this many entries keep memory flat on a long log. */
const page = 1000;

/**
 * Recomputes every hash from the genesis hash. Someone with write access to the database can
 * rewrite the whole chain consistently, which is why the head is kept elsewhere and checked with
 * `expectHead` (that also catches a removed tail, which leaves a valid but shorter chain).
 * @example const { ok, firstBadEntry } = await verifyAuditLog(store, { expectHead: savedHead });
 */
export async function verifyAuditLog(store: FedrecStore, options: { expectHead?: string } = {}): Promise<AuditVerification> {
  let previous = genesisHash;
  let entries = 0;
  let firstBadEntry: number | null = null;
  let found = false;
  for (let after = 0; ; ) {
    const batch = await store.listAudit({ afterSeq: after, limit: page });
    for (const entry of batch) {
      entries++;
      if (firstBadEntry === null && (entry.seq !== entries || entry.hash !== auditHash(previous, entry))) firstBadEntry = entry.seq;
      if (entry.hash === options.expectHead) found = true;
      previous = entry.hash;
    }
    if (batch.length < page) break;
    after = batch[batch.length - 1].seq;
  }
  const expectedHead = options.expectHead === undefined ? undefined : { hash: options.expectHead, found: found || (entries === 0 && options.expectHead === genesisHash) };
  return { ok: firstBadEntry === null && (expectedHead?.found ?? true), entries, head: previous, firstBadEntry, ...(expectedHead ? { expectedHead } : {}) };
}
