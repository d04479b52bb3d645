/** What both stores accept for governance records, checked before anything is written (see `store-validation.ts`). */
import { z } from 'zod';
import { canonicalJson } from '../governance/audit-hash.ts';
import { modelStates, roles } from './governance-records.ts';

const text = z.string().min(1).max(1000);
const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'must be a lower-case hex sha256, never the key itself');

export const apiKeyInput = z.object({ id: z.string().regex(/^key_[0-9a-f]{8,32}$/), name: text, role: z.enum(roles), keyHash: hex64, createdBy: text });

export const auditDraft = z.object({
  actor: text,
  action: z.string().regex(/^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/, 'a dotted action name such as model.approved'),
  target: z.string().max(1000),
  // Details are hashed as canonical JSON (audit-hash.ts): a value without a JSON form (NaN, ±Infinity,
  // a function, a bigint) is refused here, as invalid input, by both stores alike.
  details: z.record(z.string(), z.unknown()).refine(hasJsonForm, 'audit details must be JSON values (finite numbers, strings, booleans, null, arrays, objects)'),
});

function hasJsonForm(details: Record<string, unknown>): boolean {
  try {
    canonicalJson(details);
    return true;
  } catch {
    return false;
  }
}

const gateResult = z.object({ gate: text, value: z.number().nullable(), threshold: z.number(), passed: z.boolean(), source: z.string() });
const stamped = { by: text, at: z.string(), reason: text };

export const modelStateChange = z.object({
  version: z.int().nonnegative(),
  from: z.enum(modelStates).nullable(),
  to: z.object({
    state: z.enum(modelStates),
    approval: z.object({ ...stamped, gates: z.array(gateResult) }).nullable(),
    kill: z.object(stamped).nullable(),
    servingSince: z.string().nullable(),
  }),
});

export const settingName = z.string().regex(/^[a-z][a-z0-9-]{0,63}$/);

export const auditFilter = z.object({
  action: z.string().optional(),
  actor: z.string().optional(),
  target: z.string().optional(),
  from: z.string().optional(),
  to: z.string().optional(),
  afterSeq: z.int().nonnegative().optional(),
  limit: z.int().min(1).max(10_000).optional(),
});
