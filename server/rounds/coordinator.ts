/**
 * Starts, resumes and routes to training jobs. A job's config (with its resolved privacy numbers)
 * and its initial model are stored before round 1, so a coordinator killed at any point can
 * resume the job from its last completed round with the privacy it had already spent.
 */
import { randomUUID } from 'node:crypto';
import { FedrecError } from '../errors/index.ts';
import { PrivacyAccountant } from '../privacy/index.ts';
import type { JobStatus } from '../store/fedrec-store.ts';
import type { ModelWeights } from '../../models/weights/model-weights.ts';
import { cloneWeights } from '../../models/weights/model-weights.ts';
import { jobConfigSchema, type JobConfig } from './job-config.ts';
import { resolvePrivacy, type ResolvedPrivacy } from './resolve-privacy.ts';
import { TrainingJob, type TrainingJobDeps } from './training-job.ts';

interface StoredJobConfig {
  config: JobConfig;
  resolved: ResolvedPrivacy;
}

export interface RunningJob {
  jobId: string;
  job: TrainingJob;
  done: Promise<JobStatus>;
}

export class Coordinator {
  private readonly jobs = new Map<string, TrainingJob>();

  constructor(private readonly deps: TrainingJobDeps) {}

  /**
   * Validates the config, resolves its privacy against the connected population, stores the job
   * and its initial model, and starts its rounds.
   * @example const { done } = await coordinator.startJob({ rounds: 10, samplingRate: 0.1 }, weights);
   */
  async startJob(rawConfig: unknown, initial: ModelWeights): Promise<RunningJob> {
    const parsed = jobConfigSchema.safeParse(rawConfig);
    if (!parsed.success) {
      throw new FedrecError('invalid-input', 'job config failed validation', parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message, code: i.code })));
    }
    const config = parsed.data;
    const population = this.deps.transport.connectedClients().reduce((n, c) => n + c.shoppers, 0);
    const resolved = resolvePrivacy(config, population);
    const jobId = randomUUID();
    const stored: StoredJobConfig = { config, resolved };
    await this.deps.store.createJob({ id: jobId, config: stored as unknown as Record<string, unknown> });
    const version = await this.deps.store.nextModelVersion();
    const weights = cloneWeights(initial, version);
    await this.deps.store.saveModelVersion({ version, jobId, round: 0, metrics: {}, epsilon: 0 }, weights);
    return this.launch(jobId, stored, weights, new PrivacyAccountant(), 0);
  }

  /** Resumes every job the store says was running when the coordinator stopped. */
  async resumeJobs(): Promise<RunningJob[]> {
    const resumed: RunningJob[] = [];
    for (const record of await this.deps.store.listJobs()) {
      if (record.status !== 'running' || this.jobs.has(record.id)) continue;
      const stored = record.config as unknown as StoredJobConfig;
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
      resumed.push(this.launch(record.id, stored, model.weights, accountant, record.completedRounds));
    }
    return resumed;
  }

  /** Routes a client's update to the job it names; throws FedrecError with the reason if rejected. */
  submitUpdate(clientId: string, raw: unknown): void {
    const jobId = typeof raw === 'object' && raw !== null ? (raw as { jobId?: unknown }).jobId : undefined;
    const job = typeof jobId === 'string' ? this.jobs.get(jobId) : undefined;
    if (!job) throw new FedrecError('conflict', `stale update: job ${String(jobId)} is not running`);
    job.submitUpdate(clientId, raw);
  }

  stopAll(): void {
    for (const job of this.jobs.values()) job.stop();
  }

  private launch(jobId: string, stored: StoredJobConfig, weights: ModelWeights, accountant: PrivacyAccountant, completed: number): RunningJob {
    const job = new TrainingJob(jobId, stored.config, stored.resolved, weights, accountant, completed, this.deps);
    this.jobs.set(jobId, job);
    const done = job.run().finally(() => this.jobs.delete(jobId));
    return { jobId, job, done };
  }
}
