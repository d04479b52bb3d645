/**
 * Starts, resumes and routes to training jobs. A job's config (with its resolved privacy numbers)
 * and its initial model are stored before round 1, so a coordinator killed at any point can
 * resume the job from its last completed round with the privacy it had already spent.
 */
import { randomUUID } from 'node:crypto';
import { FedrecError } from '../errors/index.ts';
import { addCounts, type AbandonReason } from '../../protocol/index.ts';
import { PrivacyAccountant, PrivacyLedger, type LedgerSummary, type LifetimeBudget } from '../privacy/index.ts';
import type { JobStatus } from '../store/fedrec-store.ts';
import type { ModelWeights } from '../../models/weights/model-weights.ts';
import { cloneWeights } from '../../models/weights/model-weights.ts';
import { jobConfigSchema, type JobConfig } from './job-config.ts';
import { RejectionCounts } from './rejection-counts.ts';
import { loadLedger } from './load-ledger.ts';
import { evaluationRounds, resolvePrivacy, type ResolvedPrivacy } from './resolve-privacy.ts';
import type { ConnectedClient } from './round-transport.ts';
import { TrainingJob, type TrainingJobDeps } from './training-job.ts';
import { learningRateScaleVector } from './learning-rate-scales.ts';
import { resumeOptimizerState } from './resume-optimizer.ts';
import type { ResumedOptimizerState } from './server-optimizer.ts';

/** What a job record's `config` holds: the validated config and the privacy numbers resolved at its start. */
export interface StoredJobConfig {
  config: JobConfig;
  resolved: ResolvedPrivacy;
}

export interface RunningJob {
  jobId: string;
  job: TrainingJob;
  done: Promise<JobStatus>;
}

export class Coordinator {
  private readonly jobs = new Map<string, RunningJob>();
  private readonly deps: TrainingJobDeps & { rejections: RejectionCounts; ledger: PrivacyLedger; abandonments: Map<AbandonReason, number> };
  /** Every job's releases against the lifetime budget; loaded from the store on first use. */
  private readonly ledger: PrivacyLedger;
  private ledgerLoaded: Promise<void> | undefined;

  constructor(deps: TrainingJobDeps) {
    this.ledger = deps.ledger ?? new PrivacyLedger();
    this.deps = { ...deps, rejections: deps.rejections ?? new RejectionCounts(), ledger: this.ledger, abandonments: deps.abandonments ?? new Map() };
  }

  /** What the coordinator refused from store clients since it started, by reason (for metrics). */
  rejections(): Record<string, number> {
    return this.deps.rejections.snapshot();
  }

  /** Rounds clients abandoned since the coordinator started, by reason (`deadline`: it could not finish in time). */
  abandonments(): Record<string, number> {
    return Object.fromEntries(this.deps.abandonments);
  }

  /** Counts a refusal the transport made (at the handshake or on the wire) with the engine's own. */
  countRejection(reason: Parameters<RejectionCounts['add']>[0]): void {
    this.deps.rejections.add(reason);
  }

  /**
   * Sets (or with null removes) the deployment's lifetime budget, durably first.
   * @example await coordinator.setPrivacyBudget({ epsilon: 10, delta: 1e-6 });
   */
  async setPrivacyBudget(budget: LifetimeBudget | null): Promise<LedgerSummary> {
    await this.loadLedger();
    await this.deps.store.setPrivacyBudget(budget);
    this.ledger.setBudget(budget);
    return this.ledger.summary();
  }

  /** The lifetime spend, each job's share and what remains. */
  async privacyLedger(): Promise<LedgerSummary> {
    await this.loadLedger();
    return this.ledger.summary();
  }

  private loadLedger(): Promise<void> {
    this.ledgerLoaded ??= loadLedger(this.deps.store, this.ledger, (jobId) => this.jobs.has(jobId)).then(() => undefined);
    return this.ledgerLoaded;
  }

  /**
   * Validates the config, resolves its privacy against the connected population, stores the job
   * and its initial model, and starts its rounds.
   * @example const { done } = await coordinator.startJob({ rounds: 10, samplingRate: 0.1 }, weights);
   */
  async startJob(rawConfig: unknown, initial: ModelWeights): Promise<RunningJob> {
    const config = parseJobConfig(rawConfig);
    // Scales that name parameters this model lacks are refused before anything is stored.
    learningRateScaleVector(initial.manifest, config.serverLearningRateScales);
    // Registered populations (the transport reports those, never a client's claim), summed checked.
    const population = this.deps.transport.connectedClients().reduce((n, c) => addCounts(n, c.shoppers), 0);
    const resolved = resolvePrivacy(config, population);
    await this.loadLedger();
    // Refused before anything is stored (409, with the figures) when its whole plan would not fit the lifetime budget.
    this.ledger.admit(plannedReleases(config, resolved), `a job of ${config.rounds} rounds`);
    const jobId = randomUUID();
    const stored: StoredJobConfig = { config, resolved };
    const version = await this.deps.store.nextModelVersion();
    const weights = cloneWeights(initial, version);
    // One transaction: a crash cannot leave a job without the version it would resume from.
    await this.deps.store.createJob({ id: jobId, config: stored as unknown as Record<string, unknown> }, { version, weights });
    return this.launch(jobId, stored, weights, new PrivacyAccountant(), 0);
  }

  /**
   * Starts a job from a stored model version (what the REST API does). Refuses with `unavailable`
   * while fewer than the job's minimum clients are connected: q is fixed from the population
   * connected at the start, so a job started before its stores connect would sample the wrong one.
   * @example await coordinator.startJobFromVersion({ rounds: 10, samplingRate: 0.1, minClients: 3 }, 4);
   */
  async startJobFromVersion(rawConfig: unknown, version: number): Promise<RunningJob> {
    const config = parseJobConfig(rawConfig);
    const stored = await this.deps.store.getModelVersion(version);
    if (!stored) throw new FedrecError('not-found', `no model version ${version}`);
    const { clients } = this.connectedPopulation();
    if (clients < config.minClients) throw new FedrecError('unavailable', `${clients} of the job's minimum ${config.minClients} clients are connected: start the store clients first`);
    return this.startJob(config, stored.weights);
  }

  /** Resumes every job the store says was running when the coordinator stopped. */
  async resumeJobs(): Promise<RunningJob[]> {
    await this.loadLedger();
    const resumed: RunningJob[] = [];
    for (const record of await this.deps.store.listJobs()) {
      if (record.status !== 'running' || this.jobs.has(record.id)) continue;
      const stored = upgradeStoredJob(record.config as unknown as StoredJobConfig);
      const latest = await this.deps.store.latestModelVersion(record.id);
      const model = latest && (await this.deps.store.getModelVersion(latest.version));
      if (!model) {
        await this.deps.store.setJobStatus(record.id, 'failed', 'no stored model version to resume from');
        continue;
      }
      // The accountant may include a round whose model was never released: resuming spends that
      // round again, which over-counts ε (safe) rather than under-counting it.
      const spend = await this.deps.store.getPrivacySpend(record.id);
      const accountant = spend ? PrivacyAccountant.fromJSON(spend.accountant) : new PrivacyAccountant();
      this.deps.log?.(`resuming job ${record.id} after round ${record.completedRounds} from model version ${model.record.version}`);
      const optimizerState = await resumeOptimizerState(this.deps.store, record.id, stored.config, { version: model.record.version, weights: model.weights }, this.deps.log);
      resumed.push(this.launch(record.id, stored, model.weights, accountant, record.completedRounds, optimizerState));
    }
    return resumed;
  }

  /** Routes a client's update to the job it names; throws FedrecError with the reason if rejected. */
  submitUpdate(clientId: string, raw: unknown): void {
    const jobId = typeof raw === 'object' && raw !== null ? (raw as { jobId?: unknown }).jobId : undefined;
    const job = typeof jobId === 'string' ? this.jobs.get(jobId)?.job : undefined;
    if (!job) {
      this.deps.rejections.add('stale-update');
      throw new FedrecError('conflict', `stale-update: job ${typeof jobId === 'string' ? jobId.slice(0, 100) : typeof jobId} is not running`);
    }
    job.submitUpdate(clientId, raw);
  }

  /** Routes a client's abandonment of a round to the job it names; throws FedrecError with the reason if refused. */
  abandonRound(clientId: string, raw: unknown): void {
    const jobId = typeof raw === 'object' && raw !== null ? (raw as { jobId?: unknown }).jobId : undefined;
    const job = typeof jobId === 'string' ? this.jobs.get(jobId)?.job : undefined;
    if (!job) {
      this.deps.rejections.add('stale-update');
      throw new FedrecError('conflict', `stale-update: job ${typeof jobId === 'string' ? jobId.slice(0, 100) : typeof jobId} is not running`);
    }
    job.abandonRound(clientId, raw);
  }

  /**
   * Stops a job at once and for good: a running one after its current store write, one that is
   * paused or waiting to resume at once. It then reads `cancelled` and no coordinator resumes it.
   * A job already completed, failed, cancelled or out of budget is a conflict.
   * @example await coordinator.cancelJob(jobId);
   */
  async cancelJob(jobId: string): Promise<void> {
    const running = this.jobs.get(jobId);
    if (running) {
      running.job.cancel();
      await running.done;
      return;
    }
    const record = await this.deps.store.getJob(jobId);
    if (!record) throw new FedrecError('not-found', `no job "${jobId}"`);
    if (!['created', 'running', 'paused'].includes(record.status)) throw new FedrecError('conflict', `job ${jobId} is already ${record.status}`);
    await this.deps.store.setJobStatus(jobId, 'cancelled', `cancelled by the operator after round ${record.completedRounds}`);
  }

  /** The clients connected now, each with the shoppers it holds. */
  connectedClients(): ConnectedClient[] {
    return this.deps.transport.connectedClients();
  }

  /** Clients connected now and the shoppers they hold: the population a job started now would sample. */
  connectedPopulation(): { clients: number; shoppers: number } {
    const clients = this.connectedClients();
    return { clients: clients.length, shoppers: clients.reduce((n, c) => n + c.shoppers, 0) };
  }

  /** Ids of the jobs this coordinator is running now. */
  runningJobIds(): string[] {
    return [...this.jobs.keys()];
  }

  /**
   * Stops every running job after its current step and resolves once each has settled, so the
   * store can be closed without a round half-written. A stopped job stays `running` in the store:
   * the next coordinator on the same store resumes it.
   */
  async stopAll(): Promise<void> {
    const running = [...this.jobs.values()];
    for (const { job } of running) job.stop();
    await Promise.allSettled(running.map((r) => r.done));
  }

  private launch(jobId: string, stored: StoredJobConfig, weights: ModelWeights, accountant: PrivacyAccountant, completed: number, optimizerState?: ResumedOptimizerState): RunningJob {
    const job = new TrainingJob(jobId, stored.config, stored.resolved, weights, accountant, completed, this.deps, optimizerState);
    const done = job.run().finally(() => this.jobs.delete(jobId));
    const running = { jobId, job, done };
    this.jobs.set(jobId, running);
    return running;
  }
}

function parseJobConfig(raw: unknown): JobConfig {
  const parsed = jobConfigSchema.safeParse(raw);
  if (!parsed.success) {
    throw new FedrecError('invalid-input', 'job config failed validation', parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message, code: i.code })));
  }
  return parsed.data;
}

/** Everything a job will release if it runs all its rounds: what admission checks against the lifetime budget. */
function plannedReleases(config: JobConfig, resolved: ResolvedPrivacy): { q: number; sigma: number; steps: number }[] | 'unbounded' {
  if (resolved.mode !== 'dp') return 'unbounded';
  return [
    { q: resolved.samplingRate, sigma: resolved.accountedNoiseMultiplier, steps: config.rounds },
    { q: resolved.evaluationSamplingRate, sigma: resolved.evaluationNoiseMultiplier, steps: evaluationRounds(config) },
  ];
}

/**
 * A job stored before metrics were released with DP has no metric privacy in its resolved numbers:
 * it is resolved again, with today's defaults, at the population it started with, so every release
 * it makes from now on is noised and accounted (what it spent before stays in its accountant).
 */
function upgradeStoredJob(stored: StoredJobConfig): StoredJobConfig {
  if (stored.resolved.mode !== 'dp' || stored.resolved.evaluationNoiseMultiplier !== undefined) return stored;
  const config = parseJobConfig(stored.config);
  return { config, resolved: resolvePrivacy(config, stored.resolved.population) };
}
