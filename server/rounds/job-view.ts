/**
 * A job as an operator reads it (REST, CLI): status, config, the privacy resolved at its start and
 * spent so far, and each completed round's public metrics. Per-round counts of sampled shoppers and
 * examples are left out on purpose: they are un-noised sums over shoppers, so they stay on the
 * coordinator (the model and ε are what a job releases).
 */
import { baselineMetric, baselineNames, computeEpsilon, effectiveNoiseMultiplier, type BaselineName } from '../privacy/index.ts';
import type { FedrecStore, JobStatus, RoundRecord } from '../store/fedrec-store.ts';
import type { StoredJobConfig } from './coordinator.ts';
import type { JobConfig } from './job-config.ts';
import type { ResolvedPrivacy } from './resolve-privacy.ts';
import { roundSegments, type RoundSegments } from './round-segments.ts';

/** One release of a round, as the accountant composes it (a sampled Gaussian with its q and σ). */
export interface ReleaseCost {
  release: 'training' | 'evaluation';
  /** What it releases about shoppers. */
  covers: string;
  q: number;
  noiseMultiplier: number;
}

export interface JobRoundView {
  round: number;
  clients: number;
  /** Model version the round released. */
  version: number;
  loss: number;
  /** Federated evaluation of the round's starting model, on rounds that evaluated. */
  'recall@10'?: number;
  'ndcg@10'?: number;
  /** The stores' baselines on the same evaluation cohort, released the same way (when the job evaluates them). */
  baselines?: Record<BaselineName, { 'recall@10': number; 'ndcg@10': number }>;
  /** The same evaluation by shopper segment (history band), on rounds whose clients all split it (round-segments.ts). */
  segments?: RoundSegments;
  /** Cumulative ε after this round (0 without DP). */
  epsilon: number;
  clipNorm?: number;
  /** The round's releases and what they added to ε (DP only). */
  privacyCost?: { releases: ReleaseCost[]; epsilonIncrease: number };
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
    /** m: noise per unit of bound on each metric sum (server/privacy/metric-release.ts); null without DP. */
    metricNoiseMultiplier: number | null;
    /**
     * The released rounds' ε split by what they release, each the increase it causes when added
     * in this order: the model updates alone, then adaptive clipping's count, then the metrics.
     */
    epsilonSplit: { training: number; adaptiveClipping: number; metrics: number } | null;
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
      metricNoiseMultiplier: dp?.metricNoiseMultiplier ?? null,
      epsilonSplit: dp ? epsilonSplit(dp, rounds) : null,
    },
    completedRounds: record.completedRounds,
    rounds: rounds.map((r, i) => roundView(r, dp, i > 0 ? rounds[i - 1].epsilon : 0)),
    latestVersion: latest?.version ?? null,
  };
}

type DpPrivacy = Extract<ResolvedPrivacy, { mode: 'dp' }>;

function roundView(r: RoundRecord, dp: DpPrivacy | undefined, epsilonBefore: number): JobRoundView {
  const { loss = 0, clipNorm } = r.metrics;
  const view: JobRoundView = { round: r.round, clients: r.clients, version: r.releasedVersion, loss, epsilon: r.epsilon, finishedAt: r.finishedAt };
  const evaluated = r.metrics['recall@10'] !== undefined;
  if (evaluated) view['recall@10'] = r.metrics['recall@10'];
  if (r.metrics['ndcg@10'] !== undefined) view['ndcg@10'] = r.metrics['ndcg@10'];
  const baselines = baselinesOf(r.metrics);
  if (baselines) view.baselines = baselines;
  const segments = roundSegments(r.metrics);
  if (segments) view.segments = segments;
  if (clipNorm !== undefined) view.clipNorm = clipNorm;
  if (dp) view.privacyCost = { releases: releaseCosts(dp, evaluated, segments !== undefined), epsilonIncrease: Math.max(0, r.epsilon - epsilonBefore) };
  return view;
}

/** A round's released baseline metrics, if it has every one of them. */
function baselinesOf(metrics: Record<string, number>): JobRoundView['baselines'] {
  const entries = baselineNames.map((name) => [name, { 'recall@10': metrics[baselineMetric(name, 'recall@10')], 'ndcg@10': metrics[baselineMetric(name, 'ndcg@10')] }] as const);
  if (entries.some(([, values]) => values['recall@10'] === undefined || values['ndcg@10'] === undefined)) return undefined;
  return Object.fromEntries(entries) as JobRoundView['baselines'];
}

function releaseCosts(dp: DpPrivacy, evaluated: boolean, segmented = false): ReleaseCost[] {
  const training = { release: 'training' as const, covers: dp.adaptive ? 'model update, loss sum, unclipped count' : 'model update, loss sum', q: dp.samplingRate, noiseMultiplier: dp.accountedNoiseMultiplier };
  if (!evaluated) return [training];
  // Per-segment rounds release the bands' sums in place of the overall ones; a shopper still
  // touches 3 model parts (their band's), so σ is the same (server/privacy/segment-release.ts).
  const model = segmented ? 'recall@10 sum, NDCG@10 sum, cohort size per history band (the overall ones are their sum)' : 'recall@10 sum, NDCG@10 sum, cohort size';
  const covers = dp.evaluationBaselines ? `${model}, popularity and repeat baselines’ recall@10 and NDCG@10 sums` : model;
  return [training, { release: 'evaluation', covers, q: dp.evaluationSamplingRate, noiseMultiplier: dp.evaluationNoiseMultiplier }];
}

/** Marginal ε of each kind of release over the released rounds, in the order updates, clipping count, metrics. */
function epsilonSplit(dp: DpPrivacy, rounds: readonly RoundRecord[]): { training: number; adaptiveClipping: number; metrics: number } {
  const q = dp.samplingRate;
  const steps = rounds.length;
  const evaluations = rounds.filter((r) => r.metrics['recall@10'] !== undefined).length;
  const epsilon = (specs: { q: number; sigma: number; steps: number }[]): number => (steps === 0 ? 0 : computeEpsilon(specs, dp.delta).epsilon);
  const updates = epsilon([{ q, sigma: dp.noiseMultiplier, steps }]);
  const withCount = dp.adaptive ? epsilon([{ q, sigma: effectiveNoiseMultiplier(dp.noiseMultiplier, dp.adaptive.countNoiseStd), steps }]) : updates;
  const all = epsilon([{ q, sigma: dp.accountedNoiseMultiplier, steps }, { q: dp.evaluationSamplingRate, sigma: dp.evaluationNoiseMultiplier, steps: evaluations }]);
  return { training: updates, adaptiveClipping: withCount - updates, metrics: all - withCount };
}
