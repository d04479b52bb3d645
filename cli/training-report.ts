/**
 * What `fedrec train` prints: the trained model and the three baselines, all scored on the same
 * held-out last purchases over the full catalogue, as a table or as one JSON object.
 */
import type { LeaveLastOutSplit } from '../client-sim/world/index.ts';
import { ConceptScorer, cooccurrence, evaluateRanker, globalPopularity, modelRanker, storePopularity, type BackendName, type Ranker } from '../models/index.ts';
import type { JobStatus } from '../server/store/index.ts';
import type { TrainedModel } from './run-centralized.ts';
import type { FederatedRun } from './run-federated.ts';
import type { LoadedWorld } from './world-options.ts';

export interface HeadlineMetrics {
  'recall@10': number;
  'ndcg@10': number;
}

export interface TrainingReport {
  mode: TrainedModel['mode'];
  metrics: HeadlineMetrics;
  baselines: { popularity: HeadlineMetrics; popularityPerStore: HeadlineMetrics; cooccurrence: HeadlineMetrics };
  backend: BackendName;
  /** Training wall time. */
  seconds: number;
  evaluationSeconds: number;
  world: { source: string; stores: number; shoppers: number; items: number; categories: number; purchases: number; trainPurchases: number; heldOutShoppers: number };
  options: Record<string, number>;
  losses: number[];
}

/**
 * Evaluates the trained model and the baselines fitted on the same training split.
 * @example const report = trainingReport(trained, loaded, split); console.log(JSON.stringify(report));
 */
export function trainingReport(trained: TrainedModel, loaded: LoadedWorld, split: LeaveLastOutSplit): TrainingReport {
  const { world } = loaded;
  const started = performance.now();
  const score = (ranker: Ranker): HeadlineMetrics => headline(ranker, split);
  const metrics = modelMetrics(trained, split);
  const baselines = {
    popularity: score(globalPopularity(split.train, world.catalog.length)),
    popularityPerStore: score(storePopularity(split.train, world.catalog.length, world.stores.length)),
    cooccurrence: score(cooccurrence(split.train, world.catalog.length)),
  };
  const count = (shoppers: readonly { items: readonly number[] }[]): number => shoppers.reduce((n, s) => n + s.items.length, 0);
  return {
    mode: trained.mode,
    metrics,
    baselines,
    backend: trained.backend,
    seconds: round(trained.seconds),
    evaluationSeconds: round((performance.now() - started) / 1000),
    world: {
      source: world.source.kind === 'csv' ? world.source.file : `synthetic seed ${world.source.seed}`,
      stores: world.stores.length,
      shoppers: world.shoppers.length,
      items: world.catalog.length,
      categories: world.categories.length,
      purchases: count(world.shoppers),
      trainPurchases: count(split.train),
      heldOutShoppers: split.test.length,
    },
    options: trained.options,
    losses: trained.losses.map((loss) => round(loss, 4)),
  };
}

/**
 * The model's recall@10 and NDCG@10 on the held-out last purchases over the full catalogue: the
 * one evaluation every mode is scored by, so centralised and federated numbers compare.
 * @example modelMetrics(await runCentralized(loaded, split), split)['recall@10']
 */
export function modelMetrics(model: Pick<TrainedModel, 'shape' | 'weights' | 'features'>, split: LeaveLastOutSplit): HeadlineMetrics {
  return headline(modelRanker(new ConceptScorer(model.shape, model.weights, model.features)), split);
}

function headline(ranker: Ranker, split: LeaveLastOutSplit): HeadlineMetrics {
  const metrics = evaluateRanker(ranker, split.test);
  return { 'recall@10': metrics['recall@10'], 'ndcg@10': metrics['ndcg@10'] };
}

/** A federated run's report: the privacy it spent, and the centralised model as one more baseline. */
export interface FederatedReport extends Omit<TrainingReport, 'baselines'> {
  mode: 'federated';
  /** `centralized` is null when the run was told to skip training it (--skip-centralized). */
  baselines: TrainingReport['baselines'] & { centralized: HeadlineMetrics | null };
  /** Rounds completed. */
  rounds: number;
  /** ε spent, and its δ; both null without DP. */
  epsilon: number | null;
  delta: number | null;
  status: JobStatus;
  jobId: string;
}

/**
 * @example federatedReport(trainingReport(run, loaded, split), run, modelMetrics(centralised, split))
 */
export function federatedReport(report: TrainingReport, run: FederatedRun, centralized: HeadlineMetrics | null): FederatedReport {
  return {
    ...report,
    mode: 'federated',
    baselines: { ...report.baselines, centralized },
    rounds: run.rounds,
    epsilon: run.epsilon === null ? null : round(run.epsilon, 4),
    delta: run.delta,
    status: run.status,
    jobId: run.jobId,
  };
}

/**
 * The report as a table, with each baseline's recall@10 as a multiple of the model's.
 * @example console.log(formatTrainingReport(report));
 */
export function formatTrainingReport(report: TrainingReport | FederatedReport): string {
  const federated = 'jobId' in report ? report : undefined;
  const rows: [string, HeadlineMetrics][] = [
    [`fedrec model (${report.mode})`, report.metrics],
    ...(federated?.baselines.centralized ? [['fedrec model (centralised)', federated.baselines.centralized] as [string, HeadlineMetrics]] : []),
    ['popularity (global)', report.baselines.popularity],
    ['popularity (per store)', report.baselines.popularityPerStore],
    ['item co-occurrence', report.baselines.cooccurrence],
  ];
  const model = report.metrics['recall@10'];
  const lines = rows.map(([name, m], r) => {
    const ratio = r === 0 || m['recall@10'] === 0 ? '' : `  model ${(model / m['recall@10']).toFixed(2)}×`;
    return `${name.padEnd(28)} ${m['recall@10'].toFixed(4).padStart(9)} ${m['ndcg@10'].toFixed(4).padStart(9)}${ratio}`;
  });
  const { world } = report;
  return [
    `${'ranker'.padEnd(28)} ${'recall@10'.padStart(9)} ${'ndcg@10'.padStart(9)}`,
    ...lines,
    '',
    `held-out last purchase of ${world.heldOutShoppers} shoppers, ranked over all ${world.items} items`,
    `trained on ${world.trainPurchases} purchases in ${report.seconds.toFixed(1)} s (${report.backend} backend; ${Object.entries(report.options).map(([k, v]) => `${k} ${v}`).join(', ')}), evaluated in ${report.evaluationSeconds.toFixed(1)} s`,
    ...(federated
      ? [`job ${federated.jobId} ${federated.status} after ${federated.rounds} rounds; ${federated.epsilon === null ? 'no differential privacy' : `(ε, δ) = (${federated.epsilon.toFixed(3)}, ${federated.delta})`}`]
      : []),
  ].join('\n');
}

const round = (value: number, digits = 3): number => Number(value.toFixed(digits));
