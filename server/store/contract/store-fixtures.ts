/**
 * Records and assertions shared by the store contract suite. Builders take overrides so each test
 * states only the fields it is about.
 */
import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { FedrecError, type ErrorCode } from '../../errors/index.ts';
import type { CatalogItem } from '../../../models/data/retail-world.ts';
import { allocateWeights, type ModelWeights } from '../../../models/weights/model-weights.ts';
import type { ExposureIncrement, ModelVersionRecord, RoundRecord } from '../fedrec-store.ts';

export const isoTimestamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** A client token's hash, as the realtime adapter computes it. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Small two-parameter weights whose values depend on `seed`, so versions are distinguishable. */
export function makeWeights(version: number, seed = version): ModelWeights {
  const weights = allocateWeights([{ name: 'items', shape: [3, 4] }, { name: 'bias', shape: [5] }], { dim: 4 }, version);
  weights.values.forEach((_, i) => (weights.values[i] = seed + i / 8));
  return weights;
}

export function makeRound(jobId: string, round: number, overrides: Partial<RoundRecord> = {}): RoundRecord {
  return {
    jobId,
    round,
    baseVersion: round - 1,
    releasedVersion: round,
    clients: 8,
    shoppers: 420,
    metrics: { 'recall@10': 0.1 * round, loss: 1 / round },
    epsilon: 0.5 * round,
    delta: 1e-5,
    startedAt: '2025-01-01T10:00:00.000Z',
    finishedAt: '2025-01-01T10:01:00.000Z',
    ...overrides,
  };
}

/** A model version record not produced by a round (initial or centralised weights). */
type NewVersion = Omit<ModelVersionRecord, 'createdAt'>;

export function makeVersion(version: number, overrides: Partial<NewVersion> = {}): NewVersion {
  return { version, jobId: null, round: 0, metrics: {}, epsilon: null, ...overrides };
}

export function makeItem(id: string, overrides: Partial<CatalogItem> = {}): CatalogItem {
  return { id, name: `Item ${id}`, category: 'dairy', brand: 'Acme', price: 2.5, promotion: false, novelty: true, ...overrides };
}

export function makeIncrement(overrides: Partial<ExposureIncrement> = {}): ExposureIncrement {
  return { itemId: 'milk', storeId: 's1', segment: 'young', day: '2025-03-01', key: 'shown', amount: 1, ...overrides };
}

/** The bit patterns of a Float32Array: NaN !== NaN and 0 === -0, so values are compared as bits. */
export function bitsOf(values: Float32Array): number[] {
  return [...new Uint32Array(values.buffer, values.byteOffset, values.length)];
}

/**
 * Awaits `promise` and asserts it rejects with a FedrecError of `code`.
 * @example await expectFedrecError(store.createJob(job), 'conflict', /already exists/);
 */
export async function expectFedrecError(promise: Promise<unknown>, code: ErrorCode, message?: RegExp): Promise<FedrecError> {
  let thrown: unknown;
  try {
    await promise;
  } catch (error) {
    thrown = error;
  }
  if (thrown === undefined) expect.fail(`expected a FedrecError '${code}', but the call succeeded`);
  if (!(thrown instanceof FedrecError)) expect.fail(`expected a FedrecError '${code}', got ${String(thrown)}`);
  expect(thrown.code, thrown.message).to.equal(code);
  if (message) expect(thrown.message).to.match(message);
  return thrown;
}
