/**
 * Checks a client's answer against the round it claims to answer, before any of it is summed:
 * a stale, duplicate or replayed answer is a conflict; a malformed, non-finite or over-norm sum is
 * invalid input. Nothing here mutates state, so a rejected update can never touch the model.
 */
import { FedrecError } from '../errors/index.ts';
import { checkMetricSums } from '../privacy/index.ts';
import { shopperLossBound } from '../../models/training/local-update.ts';
import { clientUpdateSchema, toFloat32, type ClientUpdate } from './round-messages.ts';

export interface OpenRound {
  jobId: string;
  round: number;
  modelVersion: number;
  modelSize: number;
  /** nonce issued to each invited client this round. */
  nonces: ReadonlyMap<string, string>;
  /** Clients whose answer was already accepted. */
  answered: ReadonlySet<string>;
  /** Nonces of earlier rounds, to tell a replay from a forgery. */
  spentNonces: ReadonlySet<string>;
  clipNorm: number | undefined;
}

export interface ValidUpdate extends Omit<ClientUpdate, 'sum'> {
  sum: Float32Array;
}

/** Relative slack on the norm bound: the client's float32 sum of clipped updates rounds. */
const normSlack = 1e-4;

/**
 * @example const update = validateUpdate('store-01', raw, openRound); // throws FedrecError on any problem
 */
export function validateUpdate(clientId: string, raw: unknown, round: OpenRound | undefined): ValidUpdate {
  const parsed = clientUpdateSchema.safeParse(raw);
  if (!parsed.success) {
    throw new FedrecError('invalid-input', 'update failed validation', parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message, code: i.code })));
  }
  const update = parsed.data;
  if (!round || update.jobId !== round.jobId) throw new FedrecError('conflict', `stale update: no open round for job ${update.jobId}`);
  if (update.round !== round.round || update.modelVersion !== round.modelVersion) {
    throw new FedrecError('conflict', `stale update: answers round ${update.round} (model ${update.modelVersion}), open round is ${round.round} (model ${round.modelVersion})`);
  }
  if (round.spentNonces.has(update.nonce)) throw new FedrecError('conflict', 'replayed update: its nonce belongs to an earlier round');
  if (round.nonces.get(clientId) !== update.nonce) throw new FedrecError('conflict', 'update does not carry the nonce issued to this client for this round');
  if (round.answered.has(clientId)) throw new FedrecError('conflict', 'duplicate update: this client already answered this round');
  if (update.sum.byteLength !== round.modelSize * 4) {
    throw new FedrecError('invalid-input', `update has ${update.sum.byteLength / 4} values, model has ${round.modelSize}`);
  }
  const sum = toFloat32(update.sum);
  const squared = squaredNorm(sum);
  if (!Number.isFinite(squared)) {
    const i = sum.findIndex((v) => !Number.isFinite(v));
    throw new FedrecError('invalid-input', `update value ${i} is ${sum[i]}`);
  }
  if (update.unclipped > update.shoppers) throw new FedrecError('invalid-input', `unclipped count ${update.unclipped} exceeds sampled shoppers ${update.shoppers}`);
  // The metric sums' noise is scaled to these per-shopper bounds (server/privacy/metric-release.ts).
  checkMetricSums(update, shopperLossBound);
  if (round.clipNorm !== undefined) {
    // Each shopper's update is clipped to C, so by the triangle inequality the sum's norm is ≤ shoppers · C.
    const bound = update.shoppers * round.clipNorm * (1 + normSlack);
    if (Math.sqrt(squared) > bound) throw new FedrecError('invalid-input', `update norm ${Math.sqrt(squared).toPrecision(4)} exceeds ${update.shoppers} shoppers × clip norm ${round.clipNorm}`);
  }
  return { ...update, sum };
}

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
