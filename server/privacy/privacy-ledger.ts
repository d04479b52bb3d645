/**
 * The deployment's privacy ledger. Every job of a coordinator trains on the same population (its
 * registered stores' shoppers), so one shopper may be in all of them: their privacy losses add up.
 * The ledger sums every job's RDP at each order (composition of RDP, Mironov 2017, Prop. 1, as
 * within a job) and converts to (ε, δ) once, at the operator's lifetime δ; converting per job and
 * adding the ε would be valid too but much looser.
 *
 * It holds each job's live accountant, so a release recorded by a job is in the ledger at once:
 * checking the lifetime budget and recording are one synchronous step, and two jobs running side
 * by side cannot both slip under it. Its durable form is every job's persisted accountant (written
 * before each release), plus the budget: rebuilding from the store gives the same figures.
 */
import { FedrecError } from '../errors/index.ts';
import type { PrivacyAccountant } from './privacy-accountant.ts';
import { DEFAULT_RDP_ORDERS } from './rdp-orders.ts';
import { composeRdp, epsilonFromRdp, type RoundSpec } from './rdp-to-epsilon.ts';

/** The operator's lifetime budget for the deployment. */
export interface LifetimeBudget {
  epsilon: number;
  delta: number;
}

/** δ the ledger reports at when no budget is set: the job default. */
const defaultLedgerDelta = 1e-6;

export interface LedgerSummary {
  budget: LifetimeBudget | null;
  /** ε of every job's releases composed, at the budget's δ (or 1e-6 without a budget); null when a job without DP released a model. */
  spent: { epsilon: number | null; delta: number };
  /** budget ε − spent ε (null without a budget or when unbounded). */
  remaining: number | null;
  jobs: { jobId: string; epsilon: number | null; releases: number }[];
}

export class PrivacyLedger {
  private readonly accountants = new Map<string, PrivacyAccountant>();
  /** Jobs without DP that released a model: their ε is unbounded. */
  private readonly unbounded = new Set<string>();

  /**
   * @example const ledger = new PrivacyLedger({ epsilon: 10, delta: 1e-6 }); ledger.track('job-1', accountant);
   */
  constructor(
    private lifetime: LifetimeBudget | null = null,
    private readonly orders: readonly number[] = DEFAULT_RDP_ORDERS,
  ) {}

  get budget(): LifetimeBudget | null {
    return this.lifetime;
  }

  setBudget(budget: LifetimeBudget | null): void {
    this.lifetime = budget;
  }

  /** Adds a job's accountant (the same object the job records into). */
  track(jobId: string, accountant: PrivacyAccountant): void {
    this.accountants.set(jobId, accountant);
  }

  /** A job without DP released a model: the ledger's ε is unbounded from now on. */
  markUnbounded(jobId: string): void {
    this.unbounded.add(jobId);
  }

  /** ε spent by every job, plus `extra` releases if given, at δ. Infinity once unbounded. */
  epsilon(delta: number, extra: readonly RoundSpec[] = []): number {
    if (this.unbounded.size > 0) return Infinity;
    const total = new Array<number>(this.orders.length).fill(0);
    for (const accountant of this.accountants.values()) addInto(total, accountant.rdp());
    if (extra.length > 0) addInto(total, composeRdp(extra, this.orders));
    return epsilonFromRdp(this.orders, total, delta).epsilon;
  }

  /** Whether `extra` releases would take the deployment past its lifetime budget (never, without one). */
  wouldExceed(extra: readonly RoundSpec[]): boolean {
    if (!this.lifetime) return false;
    return this.epsilon(this.lifetime.delta, extra) > this.lifetime.epsilon;
  }

  /**
   * Refuses a job whose planned releases would exceed the lifetime budget, with the figures
   * (409, before its first round).
   *
   * @example ledger.admit(plannedReleases, 'job of 30 rounds');
   */
  admit(planned: readonly RoundSpec[] | 'unbounded', what: string): void {
    const budget = this.lifetime;
    if (!budget) return;
    if (planned === 'unbounded') {
      throw new FedrecError('conflict', `${what} has no DP, so its ε is unbounded; the deployment's lifetime budget is ε = ${budget.epsilon} at δ = ${budget.delta}`);
    }
    const spent = this.epsilon(budget.delta);
    const after = this.epsilon(budget.delta, planned);
    if (after > budget.epsilon) {
      throw new FedrecError(
        'conflict',
        `${what} would take the deployment's ε from ${spent.toFixed(3)} to ${after.toFixed(3)} at δ = ${budget.delta}, ` +
          `past its lifetime budget ε = ${budget.epsilon} (remaining ${Math.max(0, budget.epsilon - spent).toFixed(3)})`,
        [{ path: ['config', 'privacy'], message: `planned ε ${after.toFixed(4)} > lifetime budget ${budget.epsilon}`, code: 'lifetime-budget' }],
      );
    }
  }

  /** Lifetime spend, each job's share (its own releases converted alone at the same δ) and what remains. */
  summary(): LedgerSummary {
    const delta = this.lifetime?.delta ?? defaultLedgerDelta;
    const spent = this.epsilon(delta);
    const jobs = [...this.accountants].map(([jobId, accountant]) => ({
      jobId,
      epsilon: this.unbounded.has(jobId) ? null : epsilonFromRdp(this.orders, accountant.rdp(), delta).epsilon,
      releases: accountant.toJSON().rounds.reduce((n, r) => n + r.steps, 0),
    }));
    for (const jobId of this.unbounded) if (!this.accountants.has(jobId)) jobs.push({ jobId, epsilon: null, releases: 0 });
    const finite = Number.isFinite(spent);
    return {
      budget: this.lifetime,
      spent: { epsilon: finite ? spent : null, delta },
      remaining: this.lifetime && finite ? this.lifetime.epsilon - spent : null,
      jobs,
    };
  }
}

function addInto(total: number[], rdp: readonly number[]): void {
  for (let k = 0; k < total.length; k++) total[k] += rdp[k];
}
