/**
 * A job as an operator reads it (REST, CLI): status, config, the privacy resolved at its start and
 * spent so far, and each completed round's public metrics. Per-round counts of sampled shoppers and
 * examples are left out on purpose: they are un-noised sums over shoppers, so they stay on the
 * coordinator (the model and ε are what a job releases).
 */
import type { FedrecStore, JobStatus, RoundRecord } from '../store/fedrec-store.ts';
import type { StoredJobConfig } from './coordinator.ts';
import type { JobConfig } from './job-config.ts';

export interface JobRoundView {
  round: number;
  clients: number;
  /** Model version the round released. */
  version: number;
  loss: number;
  /** Federated evaluation of the round's starting model, on rounds that evaluated. */
  'recall@10'?: number;
  'ndcg@10'?: number;
  /** Cumulative ε after this round (0 without DP). */
  epsilon: number;
  clipNorm?: number;
  finishedAt: string;
}

export interface JobView {
  id: string;
  status: JobStatus;
  statusDetail: string;
  createdAt: string;
  updatedAt: string;
  config: JobConfig;
  privacy: {
    mode: 'dp' | 'none';
    samplingRate: number;
    /** qN, the fixed DP-FedAvg denominator. */
    expectedShoppers: number;
    noiseMultiplier: number | null;
    clipNorm: number | null;
    delta: number | null;
    /** The target ε the job stops before exceeding; null when it was given σ (or has no DP). */
    budgetEpsilon: number | null;
    /** ε spent so far (persisted before each model release); null without DP. */
    epsilonSpent: number | null;
  };
  completedRounds: number;
  rounds: JobRoundView[];
  /** Newest model version of the job (its initial model before round 1). */
  latestVersion: number | null;
}

/**
 * @example const view = await jobView(store, jobId); const spent = view?.privacy.epsilonSpent;
 */
export async function jobView(store: FedrecStore, jobId: string): Promise<JobView | undefined> {
  const record = await store.getJob(jobId);
  if (!record) return undefined;
  const { config, resolved } = record.config as unknown as StoredJobConfig;
  const [rounds, spend, latest] = await Promise.all([store.listRounds(jobId), store.getPrivacySpend(jobId), store.latestModelVersion(jobId)]);
  const dp = resolved.mode === 'dp' ? resolved : undefined;
  return {
    id: record.id,
    status: record.status,
    statusDetail: record.statusDetail,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    config,
    privacy: {
      mode: resolved.mode,
      samplingRate: resolved.samplingRate,
      expectedShoppers: resolved.expectedShoppers,
      noiseMultiplier: dp?.noiseMultiplier ?? null,
      clipNorm: dp?.clipNorm ?? null,
      delta: dp?.delta ?? null,
      budgetEpsilon: dp?.budgetEpsilon ?? null,
      epsilonSpent: dp ? (spend?.epsilon ?? 0) : null,
    },
    completedRounds: record.completedRounds,
    rounds: rounds.map(roundView),
    latestVersion: latest?.version ?? null,
  };
}

function roundView(r: RoundRecord): JobRoundView {
  const { loss = 0, clipNorm } = r.metrics;
  const view: JobRoundView = { round: r.round, clients: r.clients, version: r.releasedVersion, loss, epsilon: r.epsilon, finishedAt: r.finishedAt };
  if (r.metrics['recall@10'] !== undefined) view['recall@10'] = r.metrics['recall@10'];
  if (r.metrics['ndcg@10'] !== undefined) view['ndcg@10'] = r.metrics['ndcg@10'];
  if (clipNorm !== undefined) view.clipNorm = clipNorm;
  return view;
}
