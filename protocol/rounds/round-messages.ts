/**
 * What travels in a round, as zod schemas: the coordinator's request to train and the client's
 * answer. Weights and update sums are binary (Float32Array over socket.io attachments), never
 * JSON number arrays; the schemas check their type and byte length, the engine their contents.
 */
import { z } from 'zod';

export const roundRequestSchema = z.object({
  jobId: z.string(),
  round: z.int().positive(),
  modelVersion: z.int().nonnegative(),
  /** One-time token for this client and round: the answer must echo it (replays are rejected). */
  nonce: z.string(),
  samplingRate: z.number().gt(0).lte(1),
  /** Clip norm C for each sampled shopper's update; absent when the job has no DP. */
  clipNorm: z.number().positive().optional(),
  localEpochs: z.int().positive(),
  batchSize: z.int().positive(),
  clientLearningRate: z.number().positive(),
  evaluate: z.boolean(),
  /** Poisson rate of the evaluation cohort (DP: a separately sampled cohort of held-out shoppers); absent: all of them. */
  evaluationSamplingRate: z.number().gt(0).lte(1).optional(),
  /** Whether the evaluation also scores the store's own baselines (per-store popularity, personal repeat) on the same cohort. */
  evaluateBaselines: z.boolean().optional(),
  /**
   * When the round closes, as the coordinator's clock reads (ms since the epoch): a client that
   * cannot answer by then abandons the round and says so (`roundAbandonSchema`) instead of training on.
   */
  deadline: z.number(),
});
export type RoundRequest = z.infer<typeof roundRequestSchema>;

/** Σ recall@10 and Σ NDCG@10 over the evaluated shoppers, each per-shopper value in [0, 1]. */
const rankingSumsSchema = z.object({ recall: z.number().nonnegative(), ndcg: z.number().nonnegative() });
const metricSumsSchema = z.object({
  recall: z.number().nonnegative(),
  ndcg: z.number().nonnegative(),
  shoppers: z.int().nonnegative(),
  /** The same sums for the store's baselines on the same cohort, when the round asked for them. */
  baselines: z.object({ popularity: rankingSumsSchema, repeat: rankingSumsSchema }).optional(),
});

// --- Per-segment evaluation sums (issue 14 point 4) ---
/**
 * The evaluation sums split by history band (`history-band.ts`): each evaluated shopper is in
 * exactly one band. A strict object, so an unknown band name is refused; a band with no evaluated
 * shopper may be left out. The coordinator checks the bands' counts add up to `evaluation.shoppers`.
 */
// A band holds the model's sums only (strict: the baselines are sent once, overall, in `evaluation`).
const bandSumsSchema = z.strictObject({ recall: z.number().nonnegative(), ndcg: z.number().nonnegative(), shoppers: z.int().nonnegative() });
const segmentMetricSumsSchema = z.strictObject({ new: bandSumsSchema.optional(), occasional: bandSumsSchema.optional(), regular: bandSumsSchema.optional() });
// --- end per-segment evaluation sums ---

const binary = z.custom<Uint8Array>((v) => v instanceof Uint8Array, { message: 'expected binary data (a Float32Array buffer), not JSON' });

export const clientUpdateSchema = z.object({
  jobId: z.string(),
  round: z.int().positive(),
  modelVersion: z.int().nonnegative(),
  nonce: z.string(),
  /** Σ over sampled shoppers of each clipped update (DP), or Σ examples_s · update_s (no DP). */
  sum: binary,
  /** Sampled shoppers whose updates are in `sum`. */
  shoppers: z.int().nonnegative(),
  /** Training examples behind `sum` (FedAvg's weights without DP). */
  examples: z.int().nonnegative(),
  /** Sampled shoppers whose update norm was ≤ C (adaptive clipping's count query). */
  unclipped: z.int().nonnegative(),
  /** Σ of the shoppers' mean local losses, each clipped to [0, shopperLossBound] (released with noise). */
  lossSum: z.number().nonnegative(),
  evaluation: metricSumsSchema.optional(),
  /** `evaluation` split by history band; only with `evaluation`. */
  evaluationSegments: segmentMetricSumsSchema.optional(),
});
export type ClientUpdate = z.infer<typeof clientUpdateSchema>;

/** Why a client gives up a round it was invited to (a closed list, counted by the coordinator). */
export const abandonReasons = ['deadline'] as const;
export type AbandonReason = (typeof abandonReasons)[number];

/** A client's message that it will not answer this round: the nonce proves it was invited. */
export const roundAbandonSchema = z.object({
  jobId: z.string(),
  round: z.int().positive(),
  modelVersion: z.int().nonnegative(),
  nonce: z.string(),
  reason: z.enum(abandonReasons),
});
export type RoundAbandon = z.infer<typeof roundAbandonSchema>;

/** Reads a binary field as Float32Array, copying when its offset is not 4-byte aligned. */
export function toFloat32(bytes: Uint8Array): Float32Array {
  if (bytes.byteLength % 4 !== 0) throw new Error(`toFloat32: ${bytes.byteLength} bytes is not a whole number of float32 values`);
  if (bytes.byteOffset % 4 === 0) return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  // Copy explicitly: Buffer#slice (what socket.io hands over) is a view, not a copy.
  const aligned = new Uint8Array(bytes.byteLength);
  aligned.set(bytes);
  return new Float32Array(aligned.buffer);
}

/** The bytes of a Float32Array, without copying. */
export const float32Bytes = (values: Float32Array): Uint8Array => new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
