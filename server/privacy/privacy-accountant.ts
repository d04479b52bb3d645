/**
 * The running privacy ledger of one training job: which sampled Gaussian rounds were released,
 * and what they cost. Its state is only the list of {q, sigma, steps}, so the coordinator can
 * persist it with each round and rebuild the same ε after a crash.
 */
import { z } from 'zod';
import { FedrecError } from '../errors/index.ts';
import { DEFAULT_RDP_ORDERS, assertOrders } from './rdp-orders.ts';
import { epsilonFromRdp, type EpsilonResult, type RoundSpec } from './rdp-to-epsilon.ts';
import { sampledGaussianRdpCurve, type SampledGaussian } from './sampled-gaussian-rdp.ts';

/** What `toJSON` returns and `fromJSON` accepts. */
export interface AccountantState {
  rounds: RoundSpec[];
}

const roundSchema = z.object({
  q: z.number().min(0).max(1),
  sigma: z.number().min(0),
  steps: z.number().int().min(0),
});
const stateSchema = z.object({ rounds: z.array(roundSchema) });

export class PrivacyAccountant {
  private readonly rounds: RoundSpec[] = [];
  /** Per-step RDP curve for each distinct (q, σ): a job usually has one or two, so this stays tiny. */
  private readonly curves = new Map<string, number[]>();

  /**
   * @example
   * const accountant = new PrivacyAccountant();
   * accountant.record({ q: 0.01, sigma: 1.1 });
   * accountant.spent(1e-5).epsilon;
   */
  constructor(readonly orders: readonly number[] = DEFAULT_RDP_ORDERS) {
    assertOrders(orders);
  }

  /**
   * Rebuilds an accountant from persisted state. The state crossed a storage boundary, so it is
   * validated like any other input.
   *
   * @example PrivacyAccountant.fromJSON(JSON.parse(saved))
   */
  static fromJSON(state: unknown, orders: readonly number[] = DEFAULT_RDP_ORDERS): PrivacyAccountant {
    const parsed = stateSchema.safeParse(state);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message, code: i.code }));
      throw new FedrecError('invalid-input', 'privacy accountant state is malformed', issues);
    }
    const accountant = new PrivacyAccountant(orders);
    for (const round of parsed.data.rounds) accountant.record(round, round.steps);
    return accountant;
  }

  /**
   * Records `steps` released rounds of one mechanism. Consecutive rounds with the same (q, σ) are
   * merged into one entry (as Opacus' RDPAccountant does), so the state stays short.
   */
  record(round: SampledGaussian, steps = 1): void {
    if (!(Number.isInteger(steps) && steps >= 0)) {
      throw new FedrecError('invalid-input', `record: steps must be a non-negative integer, got ${steps}`);
    }
    this.curve(round); // validates q and σ before anything is stored
    if (steps === 0) return;
    const last = this.rounds.at(-1);
    if (last && last.q === round.q && last.sigma === round.sigma) last.steps += steps;
    else this.rounds.push({ q: round.q, sigma: round.sigma, steps });
  }

  /** (ε, best order) spent so far at δ. Zero rounds spend ε = 0. */
  spent(delta: number): EpsilonResult {
    return epsilonFromRdp(this.orders, this.totalRdp([]), delta);
  }

  /**
   * Whether releasing `next` as well (one round unless `steps` says otherwise) would take ε above
   * `budgetEpsilon` at δ. The job asks this before starting a round, so it stops at the last round
   * that fits rather than one round past it.
   */
  wouldExceed(budgetEpsilon: number, delta: number, next: (SampledGaussian & { steps?: number }) | readonly RoundSpec[]): boolean {
    if (!(budgetEpsilon >= 0)) throw new FedrecError('invalid-input', `wouldExceed: budget must be >= 0, got ${budgetEpsilon}`);
    return this.epsilonWith(delta, Array.isArray(next) ? next : [next as SampledGaussian & { steps?: number }]) > budgetEpsilon;
  }

  /**
   * ε at δ if `extra` releases were recorded as well (a round of several releases: the update
   * and, when it evaluates, its metrics), without recording them.
   */
  epsilonWith(delta: number, extra: readonly (SampledGaussian & { steps?: number })[]): number {
    const specs = extra.map((r) => ({ q: r.q, sigma: r.sigma, steps: r.steps ?? 1 }));
    for (const spec of specs) {
      if (!(Number.isInteger(spec.steps) && spec.steps >= 0)) {
        throw new FedrecError('invalid-input', `wouldExceed: steps must be a non-negative integer, got ${spec.steps}`);
      }
    }
    return epsilonFromRdp(this.orders, this.totalRdp(specs), delta).epsilon;
  }

  /** Records every release of a round, in order. */
  recordAll(releases: readonly (SampledGaussian & { steps?: number })[]): void {
    for (const release of releases) this.record(release, release.steps ?? 1);
  }

  /**
   * RDP spent at each of `orders`, plus `extra` if given: what the deployment ledger sums across
   * jobs before converting once.
   */
  rdp(extra: readonly RoundSpec[] = []): number[] {
    return this.totalRdp(extra);
  }

  /** A copy of the ledger, safe to persist as JSON. */
  toJSON(): AccountantState {
    return { rounds: this.rounds.map((r) => ({ ...r })) };
  }

  /** Σ steps · RDP per order, recomputed from the entries so a rebuilt accountant is bit-identical. */
  private totalRdp(extra: readonly RoundSpec[]): number[] {
    const total = new Array<number>(this.orders.length).fill(0);
    for (const round of [...this.rounds, ...extra]) {
      const curve = this.curve(round);
      for (let k = 0; k < total.length; k++) total[k] += round.steps * curve[k];
    }
    return total;
  }

  private curve(mechanism: SampledGaussian): number[] {
    const key = `${mechanism.q}/${mechanism.sigma}`;
    let curve = this.curves.get(key);
    if (!curve) {
      curve = sampledGaussianRdpCurve(mechanism, this.orders);
      this.curves.set(key, curve);
    }
    return curve;
  }
}
