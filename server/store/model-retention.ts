/**
 * Which model versions' weights may be dropped: every version but the ones the rule keeps.
 * Kept, always:
 * - the serving version, and every version ever approved (retired ones too: a kill falls back to
 *   the most recently serving retired version, server/governance/model-lifecycle.ts);
 * - the most recent `keepRecent` versions;
 * - each job's latest version (what a resumed job continues from, and the job's result).
 * A pruned version keeps its row, so rounds, lifecycle records and the audit log that name it stay
 * whole; only its weights are gone, and it reads as absent (`getModelVersion` → undefined).
 * Both stores apply this one rule inside the transaction that drops the weights, so an approval
 * cannot slip in between the decision and the drop.
 */
import { FedrecError } from '../errors/index.ts';
import type { ModelStateRecord } from './governance-records.ts';

export interface RetentionInput {
  /** Every stored, not yet pruned version with its job. */
  versions: readonly { version: number; jobId: string | null }[];
  states: readonly Pick<ModelStateRecord, 'version' | 'state' | 'approval'>[];
  keepRecent: number;
}

/** @example versionsToPrune({ versions, states, keepRecent: 20 }) // [3, 4, 7] */
export function versionsToPrune({ versions, states, keepRecent }: RetentionInput): number[] {
  if (!Number.isInteger(keepRecent) || keepRecent < 1) throw new FedrecError('invalid-input', `pruneModelVersions: keepRecent must be a positive integer, not ${keepRecent}`);
  const keep = new Set<number>();
  for (const s of states) if (s.state === 'serving' || s.approval !== null) keep.add(s.version);
  const newestFirst = [...versions].sort((a, b) => b.version - a.version);
  newestFirst.slice(0, keepRecent).forEach((v) => keep.add(v.version));
  const seenJobs = new Set<string>();
  for (const v of newestFirst) {
    if (v.jobId === null || seenJobs.has(v.jobId)) continue;
    seenJobs.add(v.jobId);
    keep.add(v.version);
  }
  return newestFirst.filter((v) => !keep.has(v.version)).map((v) => v.version).sort((a, b) => a - b);
}
