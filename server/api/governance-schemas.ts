/** Schemas of the governance routes: keys, model versions' lifecycle, settings and the audit log. */
import { z } from 'zod';
import { governanceSettingsSchema } from '../governance/index.ts';
import { modelStates, roles } from '../store/index.ts';

const time = z.string().describe('ISO 8601 time.');
const reason = z.string().trim().min(1, 'give a reason').max(2000);

export const createKeyBody = z.strictObject({ role: z.enum(roles), name: z.string().trim().min(1).max(200) });
export const keyParams = z.strictObject({ keyId: z.string().regex(/^key_[0-9a-f]{8,32}$/, 'a key id such as key_0a1b2c3d4e5f') });

const keyView = z.object({ id: z.string(), name: z.string(), role: z.enum(roles), createdAt: time, createdBy: z.string(), revokedAt: time.nullable(), revokedBy: z.string().nullable() });
export const createdKeyResponse = z.object({ key: z.string().describe('The key itself, shown this once: only its SHA-256 is stored.'), record: keyView });
export const keyResponse = keyView;
export const keyListResponse = z.object({ keys: z.array(keyView) });

export const reasonBody = z.strictObject({ reason });
export const modelParams = z.strictObject({ version: z.coerce.number<string>().int().nonnegative() });

const gateResult = z.object({ gate: z.string(), value: z.number().nullable(), threshold: z.number(), passed: z.boolean(), source: z.string() });
const approval = z.object({ by: z.string().describe('Key id of the approver.'), at: time, reason: z.string(), gates: z.array(gateResult).describe('Every configured gate, with its value and threshold at approval.') });
const kill = z.object({ by: z.string(), at: time, reason: z.string() });

export const modelListResponse = z.object({
  models: z.array(z.object({
    version: z.int(),
    jobId: z.string().nullable(),
    round: z.int(),
    state: z.enum([...modelStates, 'initial']).describe('initial: not released by a round (an upload or a job’s starting point), never served.'),
    metrics: z.record(z.string(), z.number()),
    epsilon: z.number().nullable(),
    createdAt: time,
    approval: approval.nullable(),
    kill: kill.nullable(),
    servingSince: time.nullable(),
  })),
});
export const approveResponse = z.object({ version: z.int(), state: z.literal('serving'), retired: z.int().nullable().describe('The version that served before, now retired.'), approval });
export const killResponse = z.object({ version: z.int(), state: z.literal('killed'), serving: z.int().nullable().describe('The version serving now (the previous approved one), or null: the store ranking.') });

export const settingsBody = governanceSettingsSchema;
export const settingsResponse = z.object({ recallAt10Floor: z.number().nullable(), epsilonCeiling: z.number().nullable(), fairnessGapCeiling: z.number().nullable(), separationOfDuties: z.boolean() });

export const auditQuery = z.strictObject({
  action: z.string().max(100).optional(),
  actor: z.string().max(100).optional().describe('A key id, or system.'),
  target: z.string().max(200).optional(),
  from: z.iso.datetime().optional(),
  to: z.iso.datetime().optional(),
  after: z.coerce.number<string>().int().nonnegative().optional().describe('Entries after this seq (the next page starts after the last seq shown).'),
  limit: z.coerce.number<string>().int().min(1).max(1000).default(100),
});
const auditEntry = z.object({ seq: z.int(), time, actor: z.string(), action: z.string(), target: z.string(), details: z.record(z.string(), z.unknown()), hash: z.string() });
export const auditListResponse = z.object({ entries: z.array(auditEntry), next: z.int().nullable().describe('Pass as `after` for the next page; null on the last.') });
export const verifyQuery = z.strictObject({ expectHead: z.string().regex(/^[0-9a-f]{64}$/).optional().describe('A head hash kept elsewhere: the answer is ok only if the chain still contains it (a truncated tail does not).') });
export const verifyResponse = z.object({
  ok: z.boolean(),
  entries: z.int(),
  head: z.string(),
  firstBadEntry: z.int().nullable().describe('seq of the first entry whose hash does not follow from the chain before it.'),
  expectedHead: z.object({ hash: z.string(), found: z.boolean() }).optional(),
});
