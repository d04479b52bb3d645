/**
 * What every store implementation accepts, checked in code before anything is written. The
 * checks live here rather than only in SQL so every backend (memory, SQLite, later PostgreSQL)
 * rejects the same records with the same message; `sqlite-schema.ts` repeats them as CHECK
 * constraints so nothing that bypasses the store can break them either.
 */
import { z } from 'zod';
import { FedrecError, type ErrorIssue } from '../errors/index.ts';
import type { ModelWeights } from '../../models/weights/model-weights.ts';

const id = z.string().min(1);
const count = z.int().nonnegative();
// z.number() already refuses NaN and ±Infinity; JSON would silently turn them into null.
const metrics = z.record(z.string(), z.number());
const epsilon = z.number().nonnegative();
const delta = z.number().nonnegative().lt(1);
/** A registered population: an exact integer, so every count derived from it stays exact too. */
export const clientPopulation = z.int().nonnegative().max(Number.MAX_SAFE_INTEGER);
export const jobInput = z.object({ id, config: z.record(z.string(), z.unknown()) });

export const jobStatus = z.enum(['created', 'running', 'paused', 'completed', 'failed', 'budget-exhausted', 'cancelled']);

export const privacySpend = z.object({ jobId: id, round: count, epsilon, delta, accountant: z.unknown() });

export const privacyBudget = z.object({ epsilon: z.number().positive(), delta: z.number().gt(0).lt(1) }).nullable();

export const exposureDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a day as YYYY-MM-DD');

export const roundRecord = z.object({
  jobId: id,
  // Rounds are 1-based: completedRounds = 0 means none was released yet.
  round: z.int().positive(),
  baseVersion: count,
  releasedVersion: count,
  clients: count,
  shoppers: count,
  metrics,
  epsilon,
  delta,
  startedAt: z.string(),
  finishedAt: z.string(),
});

export const modelVersionInput = z.object({ version: count, jobId: id.nullable(), round: count, metrics, epsilon: epsilon.nullable() });

export const clientInput = z.object({
  id,
  storeId: z.string(),
  tokenHash: z.string().regex(/^[0-9a-f]{64}$/, 'must be a lower-case hex sha256, never the token itself'),
  population: clientPopulation,
});

export const catalogItem = z.object({
  id,
  name: z.string(),
  category: z.string(),
  brand: z.string(),
  price: z.number().positive(),
  promotion: z.boolean(),
  novelty: z.boolean(),
});

export const exposureIncrement = z.object({
  itemId: z.string(),
  storeId: z.string(),
  segment: z.string(),
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a UTC day, YYYY-MM-DD'),
  key: z.string().min(1),
  amount: z.number(),
});

/**
 * Validates `value` against `schema`, throwing every issue at once.
 * @example checked('putCatalog', catalogItem, item, ['items', 3]);
 * @throws FedrecError('invalid-input') whose issues carry `path`, prefixed by `at`.
 */
export function checked<T>(operation: string, schema: z.ZodType<T>, value: unknown, at: (string | number)[] = []): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues: ErrorIssue[] = parsed.error.issues.map((issue) => ({
    path: [...at, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))],
    message: issue.message,
    code: issue.code,
  }));
  const lines = issues.map((issue) => `  ${issue.path.join('.') || '(value)'}: ${issue.message}`);
  throw new FedrecError('invalid-input', `${operation}: invalid input\n${lines.join('\n')}`, issues);
}

/**
 * Asserts the values hold exactly the manifest's parameters, so a stored version always decodes.
 * @example checkWeights('saveModelVersion', weights);
 */
export function checkWeights(operation: string, weights: ModelWeights): void {
  if (!(weights.values instanceof Float32Array)) {
    throw new FedrecError('invalid-input', `${operation}: weights.values must be a Float32Array`);
  }
  if (weights.values.length !== weights.manifest.size) {
    const message = `${operation}: weights hold ${weights.values.length} values, manifest says ${weights.manifest.size}`;
    throw new FedrecError('invalid-input', message);
  }
}

/**
 * A server-optimizer state: float32 values, finite, at most a few per model parameter (FedAdam holds
 * two). Whatever its layout, the store keeps its bytes exactly.
 * @example checkOptimizerState('completeRound', state, weights);
 */
export function checkOptimizerState(operation: string, state: Float32Array, weights: ModelWeights): void {
  if (!(state instanceof Float32Array)) throw new FedrecError('invalid-input', `${operation}: an optimizer state must be a Float32Array`);
  if (state.length > 4 * weights.values.length) {
    throw new FedrecError('invalid-input', `${operation}: an optimizer state of ${state.length} values is more than 4 per model parameter (${weights.values.length})`);
  }
  for (let i = 0; i < state.length; i++) {
    if (!Number.isFinite(state[i])) throw new FedrecError('invalid-input', `${operation}: the optimizer state holds ${state[i]} at ${i}`);
  }
}

/**
 * The JSON text both backends store for free-form values (job config, accountant state), so a
 * value reads back the same from every backend: as JSON.parse(JSON.stringify(value)).
 * @example toJsonText('createJob', ['config'], { rounds: 10 }); // '{"rounds":10}'
 */
export function toJsonText(operation: string, path: (string | number)[], value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (thrown) {
    const message = `cannot be stored as JSON (${thrown instanceof Error ? thrown.message : String(thrown)})`;
    throw new FedrecError('invalid-input', `${operation}: ${path.join('.')} ${message}`, [{ path, message }]);
  }
  return text ?? 'null';
}
