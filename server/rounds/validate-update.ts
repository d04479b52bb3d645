/**
 * Checks a client's answer against the round it claims to answer, before any of it is summed:
 * a stale, duplicate or replayed answer is a conflict; a malformed, non-finite or over-norm sum, or
 * a count the client's registered population cannot explain, is invalid input. The checks run
 * cheapest first: the header, the nonce and the sum's byte length cost O(1), and only an update
 * that passed them is decoded and its norm taken (O(model size)). Nothing here mutates state, so a
 * rejected update can never touch the model.
 */
import { clientUpdateSchema, sampledCountBound, toFloat32, type ClientUpdate } from '../../protocol/index.ts';
import { shopperLossBound } from '../../models/training/local-update.ts';
import { FedrecError, type ErrorCode, type ErrorIssue } from '../errors/index.ts';
import type { RejectionReason } from './rejection-counts.ts';
import { maxWeightMagnitude } from './weight-bound.ts';

export interface OpenRound {
  jobId: string;
  round: number;
  modelVersion: number;
  modelSize: number;
  /** q of the round: with the population, what bounds a client's sampled count. */
  samplingRate: number;
  /** nonce issued to each invited client this round. */
  nonces: ReadonlyMap<string, string>;
  /** Registered population of each invited client (the operator's number, never the client's). */
  populations: ReadonlyMap<string, number>;
  /** Clients whose answer was already taken (accepted or refused after its nonce checked out). */
  answered: ReadonlySet<string>;
  /** Nonces of earlier rounds, to tell a replay from a forgery. */
  spentNonces: ReadonlySet<string>;
  clipNorm: number | undefined;
  /** Whether the round asked for the baselines' sums: an evaluation must carry them exactly then. */
  evaluationBaselines: boolean;
}

export interface ValidUpdate extends Omit<ClientUpdate, 'sum'> {
  sum: Float32Array;
}

/**
 * A refused update: its FedrecError code for the wire, the reason it is counted under, and whether
 * it was this client's genuine answer to the round (its nonce checked out), which then uses up the
 * client's one answer so the round need not wait for it.
 */
export class UpdateRejection extends FedrecError {
  constructor(
    code: ErrorCode,
    readonly reason: RejectionReason,
    message: string,
    readonly usesAnswer: boolean,
    issues: ErrorIssue[] = [],
  ) {
    super(code, `${reason}: ${message}`, issues);
  }
}

/**
 * The job's closed round attempts that a client was invited to and never answered: nonce → that
 * client's id. A retry reuses the round number and the model version, so only the nonce tells a
 * late answer to the closed attempt from a replay or a forgery.
 */
export type ClosedAttempts = ReadonlyMap<string, string>;

/**
 * Refuses a late answer (an update or an abandonment) to a closed attempt of this client with its
 * own reason: the client is honest but slow, and its answer counts against nothing that is open.
 */
export function refuseIfClosed(clientId: string, nonce: string, closed: ClosedAttempts | undefined): void {
  if (closed?.get(nonce) === clientId) throw new UpdateRejection('conflict', 'round-closed', 'the round attempt this answers closed before it came', false);
}

/** Relative slack on the norm bound: the client's float32 sum of clipped updates rounds. */
const normSlack = 1e-4;

/**
 * @example const update = validateUpdate('store-01', raw, openRound); // throws UpdateRejection on any problem
 */
export function validateUpdate(clientId: string, raw: unknown, round: OpenRound | undefined, closed?: ClosedAttempts): ValidUpdate {
  const parsed = clientUpdateSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message, code: i.code }));
    throw new UpdateRejection('invalid-input', 'update-invalid', 'update failed validation', false, issues);
  }
  const update = parsed.data;
  refuseIfClosed(clientId, update.nonce, closed);
  if (!round || update.jobId !== round.jobId) throw new UpdateRejection('conflict', 'stale-update', `stale update: no open round for job ${update.jobId}`, false);
  if (update.round !== round.round || update.modelVersion !== round.modelVersion) {
    throw new UpdateRejection('conflict', 'stale-update', `stale update: answers round ${update.round} (model ${update.modelVersion}), open round is ${round.round} (model ${round.modelVersion})`, false);
  }
  if (round.spentNonces.has(update.nonce)) throw new UpdateRejection('conflict', 'replayed-update', 'replayed update: its nonce belongs to an earlier round', false);
  if (round.nonces.get(clientId) !== update.nonce) throw new UpdateRejection('conflict', 'wrong-nonce', 'update does not carry the nonce issued to this client for this round', false);
  if (round.answered.has(clientId)) throw new UpdateRejection('conflict', 'duplicate-update', 'duplicate update: this client already answered this round', false);
  // From here on this is the client's answer to the round: a refusal uses it up.
  const refuse = (reason: RejectionReason, message: string): never => {
    throw new UpdateRejection('invalid-input', reason, message, true);
  };
  if (update.sum.byteLength !== round.modelSize * 4) refuse('wrong-size', `update has ${update.sum.byteLength / 4} values, model has ${round.modelSize}`);
  checkCounts(update, round.populations.get(clientId) ?? 0, round.samplingRate, round.evaluationBaselines, refuse);
  checkSegmentSums(update, refuse);
  const sum = toFloat32(update.sum);
  const squared = squaredNorm(sum);
  if (!Number.isFinite(squared)) {
    const i = sum.findIndex((v) => !Number.isFinite(v));
    // A finite float32 squares to a finite float64, so a non-finite norm with every value finite
    // cannot happen (see squaredNorm); the index is found only to name the value.
    refuse('non-finite-update', `update value ${i} is ${sum[i]}`);
  }
  if (round.clipNorm !== undefined) {
    // Each shopper's update is clipped to C, so by the triangle inequality the sum's norm is ≤ shoppers · C,
    // and shoppers is at most what the client's registered population plausibly gives (checkCounts).
    const bound = update.shoppers * round.clipNorm * (1 + normSlack);
    if (Math.sqrt(squared) > bound) refuse('norm-anomaly', `update norm ${Math.sqrt(squared).toPrecision(4)} exceeds ${update.shoppers} shoppers × clip norm ${round.clipNorm}`);
  } else if (Math.sqrt(squared) > Math.max(1, update.examples) * maxWeightMagnitude) {
    // Without DP nothing clips the sum Σ examples_s · update_s; a sum whose norm passes examples × the
    // weight bound would, averaged alone, move some weight by more than that bound (‖·‖∞ ≤ ‖·‖₂).
    refuse('norm-bound', `update norm ${Math.sqrt(squared).toPrecision(4)} exceeds ${update.examples} examples × the weight bound ${maxWeightMagnitude}`);
  }
  return { ...update, sum };
}

/**
 * The counts against what the coordinator knows: the client's registered population N and q. The
 * schema already made each a safe integer (zod's z.int()).
 */
function checkCounts(update: ClientUpdate, population: number, q: number, baselinesAsked: boolean, refuse: (reason: RejectionReason, message: string) => never): void {
  if (update.shoppers > population) refuse('count-above-population', `sampled shoppers ${update.shoppers} exceed the client's registered population ${population}`);
  const plausible = sampledCountBound(population, q);
  if (update.shoppers > plausible) {
    refuse('count-implausible', `sampled shoppers ${update.shoppers} exceed ${plausible}, the most a population of ${population} gives at q = ${q} but with probability 1e-12`);
  }
  if (update.unclipped > update.shoppers) refuse('unclipped-above-sampled', `unclipped count ${update.unclipped} exceeds sampled shoppers ${update.shoppers}`);
  // Each shopper's loss is clipped to [0, shopperLossBound] before it is summed: the released loss
  // sum's noise is scaled to that bound (server/privacy/metric-release.ts), so a sum past it is refused.
  if (update.lossSum > shopperLossBound * update.shoppers) {
    refuse('loss-sum-invalid', `loss sum ${update.lossSum} exceeds ${shopperLossBound} × ${update.shoppers} sampled shoppers`);
  }
  const evaluation = update.evaluation;
  if (evaluation) {
    if (evaluation.shoppers > population) refuse('evaluation-invalid', `evaluated shoppers ${evaluation.shoppers} exceed the client's registered population ${population}`);
    // recall@10 and NDCG@10 of one shopper are each in [0, 1], so their sums lie in [0, shoppers evaluated].
    if (evaluation.recall > evaluation.shoppers || evaluation.ndcg > evaluation.shoppers) {
      refuse('evaluation-invalid', `evaluation sums (recall ${evaluation.recall}, ndcg ${evaluation.ndcg}) exceed the ${evaluation.shoppers} shoppers evaluated`);
    }
    // The baselines' sums share the cohort's one noised count, so they come with every evaluation
    // of a round that asked for them, and never otherwise (an unasked sum would be unaccounted).
    const baselines = evaluation.baselines;
    if ((baselines !== undefined) !== baselinesAsked) refuse('evaluation-invalid', baselinesAsked ? 'the round asked for the baselines’ sums and the evaluation has none' : 'the round did not ask for baseline sums');
    for (const [name, sums] of Object.entries(baselines ?? {})) {
      if (sums.recall > evaluation.shoppers || sums.ndcg > evaluation.shoppers) {
        refuse('evaluation-invalid', `${name} baseline sums (recall ${sums.recall}, ndcg ${sums.ndcg}) exceed the ${evaluation.shoppers} shoppers evaluated`);
      }
    }
  }
}

// --- Per-segment evaluation sums (issue 14 point 4) ---
/**
 * The evaluation's per-band sums (`evaluationSegments`) are released in place of the overall sums
 * (server/privacy/segment-release.ts), so they get the same checks: each band's recall and NDCG
 * sums lie in [0, its shoppers] (the schema made them finite and ≥ 0 and refused unknown bands),
 * they come only with `evaluation`, and the bands' counts add up to the evaluated shoppers (each
 * shopper is in exactly one band).
 */
function checkSegmentSums(update: ClientUpdate, refuse: (reason: RejectionReason, message: string) => never): void {
  const segments = update.evaluationSegments;
  if (!segments) return;
  if (!update.evaluation) refuse('evaluation-invalid', 'evaluation segments were sent without the evaluation');
  let shoppers = 0;
  for (const [band, sums] of Object.entries(segments)) {
    if (!sums) continue;
    if (sums.recall > sums.shoppers || sums.ndcg > sums.shoppers) {
      refuse('evaluation-invalid', `evaluation sums of segment ${band} (recall ${sums.recall}, ndcg ${sums.ndcg}) exceed its ${sums.shoppers} shoppers`);
    }
    shoppers += sums.shoppers;
  }
  if (shoppers !== update.evaluation.shoppers) refuse('evaluation-invalid', `evaluation segments count ${shoppers} shoppers, the evaluation ${update.evaluation.shoppers}`);
}
// --- end per-segment evaluation sums ---

/**
 * Σ v² in float64, one pass. It is finite exactly when every value is: a finite float32 squares to
 * at most 1.2e77, and even 2^31 of those sum to 2.5e86, far below float64's 1.8e308, while NaN or
 * ±Infinity anywhere makes the sum NaN or Infinity. One pass with one branch-free body instead of a
 * finiteness test per value halves the time: 4.3 → 2.0 ms per 800,000-value update (median of 15 × 20
 * validations, side by side on the shared 2-core machine).
 */
function squaredNorm(values: Float32Array): number {
  let squared = 0;
  for (let i = 0; i < values.length; i++) squared += values[i] * values[i];
  return squared;
}
