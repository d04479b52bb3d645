/**
 * What `fedrec train` prints: the trained model and the baselines, all scored on the same held-out
 * purchases over the full catalogue, on the validation part (where settings are chosen) and the
 * test part (what is reported), as a table or as one JSON object.
 */
import { ConceptScorer, cooccurrence, defaultAlsOptions, evaluateRanker, globalPopularity, implicitAls, itemKnn, modelRanker, personalRepeat, storePopularity, type BackendName, type EvaluationSplit, type LeaveLastOutSplit, type Ranker, type Shopper } from '../models/index.ts';
import type { JobStatus } from '../server/store/index.ts';
import type { TrainedModel } from './run-centralized.ts';
import type { FederatedRun } from './run-federated.ts';
import type { LoadedWorld } from './world-options.ts';

export interface HeadlineMetrics {
  'recall@10': number;
  'ndcg@10': number;
}

export type BaselineName = 'popularity' | 'popularityPerStore' | 'cooccurrence' | 'personalRepeat' | 'itemKnn' | 'als';
export type Baselines = Record<BaselineName, HeadlineMetrics>;

export interface TrainingReport {
  mode: TrainedModel['mode'];
  /** Test metrics: the held-out last purchase (or, with --split time, purchases after the cut-off). */
  metrics: HeadlineMetrics;
  baselines: Baselines;
  /** The same rankers on the validation part, where settings are chosen. */
  validation: { metrics: HeadlineMetrics; baselines: Baselines; shoppers: number };
  split: EvaluationSplit['kind'];
  /** Wall time of fitting ALS on the pooled training purchases. */
  alsSeconds: number;
  backend: BackendName;
  /** Training wall time. */
  seconds: number;
  evaluationSeconds: number;
  world: { source: string; stores: number; shoppers: number; items: number; categories: number; purchases: number; trainPurchases: number; heldOutShoppers: number };
  /** Training examples per second of training wall time (one example per training purchase and pass). */
  examplesPerSecond: number;
  options: Record<string, number>;
  losses: number[];
}

/** The baselines, fitted on the pooled training purchases, each timed. */
export function fitBaselines(train: readonly Shopper[], itemCount: number, storeCount: number, log: (line: string) => void = () => {}): { rankers: Record<BaselineName, Ranker>; alsSeconds: number } {
  const started = performance.now();
  const als = implicitAls(train, itemCount, defaultAlsOptions);
  const alsSeconds = (performance.now() - started) / 1000;
  log(`implicit ALS fitted in ${alsSeconds.toFixed(1)} s (${defaultAlsOptions.factors} factors, ${defaultAlsOptions.iterations} iterations)`);
  return {
    rankers: {
      popularity: globalPopularity(train, itemCount),
      popularityPerStore: storePopularity(train, itemCount, storeCount),
      cooccurrence: cooccurrence(train, itemCount),
      personalRepeat: personalRepeat(train, itemCount),
      itemKnn: itemKnn(train, itemCount),
      als,
    },
    alsSeconds,
  };
}

/**
 * Evaluates the trained model and the baselines fitted on the same training split, on validation
 * and test. Each baseline's figures go to `log` as they come (the progress output).
 * @example const report = trainingReport(trained, loaded, split); console.log(JSON.stringify(report));
 */
export function trainingReport(trained: TrainedModel, loaded: LoadedWorld, split: EvaluationSplit, log: (line: string) => void = () => {}): TrainingReport {
  const { world } = loaded;
  const started = performance.now();
  const { rankers, alsSeconds } = fitBaselines(split.train, world.catalog.length, world.stores.length, log);
  const metrics = modelMetrics(trained, split);
  const validationMetrics = modelMetrics(trained, split, 'validation');
  const baselines = {} as Baselines;
  const validationBaselines = {} as Baselines;
  for (const [name, ranker] of Object.entries(rankers) as [BaselineName, Ranker][]) {
    baselines[name] = headline(ranker, split.test);
    validationBaselines[name] = headline(ranker, split.validation);
    log(`${ranker.name.padEnd(24)} recall@10 validation ${validationBaselines[name]['recall@10'].toFixed(4)}, test ${baselines[name]['recall@10'].toFixed(4)}`);
  }
  const count = (shoppers: readonly { items: readonly number[] }[]): number => shoppers.reduce((n, s) => n + s.items.length, 0);
  const epochs = trained.options.epochs ?? trained.options.rounds ?? 1;
  return {
    mode: trained.mode,
    metrics,
    baselines,
    validation: { metrics: validationMetrics, baselines: validationBaselines, shoppers: split.validation.length },
    split: split.kind,
    alsSeconds: round(alsSeconds),
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
    examplesPerSecond: Math.round(examplesTrained(trained, count(split.train), epochs) / Math.max(trained.seconds, 1e-9)),
    options: trained.options,
    losses: trained.losses.map((loss) => round(loss, 4)),
  };
}

/**
 * Examples a run trained on: every training purchase per epoch centrally; federated, the expected
 * count under Poisson sampling, rounds × q × purchases × local epochs (clients report shoppers and
 * examples per round to the coordinator only).
 */
function examplesTrained(trained: TrainedModel, trainPurchases: number, epochs: number): number {
  if (trained.mode === 'centralized') return trainPurchases * epochs;
  const { rounds = 0, samplingRate = 0, localEpochs = 1 } = trained.options;
  return rounds * samplingRate * trainPurchases * localEpochs;
}

/**
 * The model's recall@10 and NDCG@10 on the held-out last purchases over the full catalogue: the
 * one evaluation every mode is scored by, so centralised and federated numbers compare.
 * @example modelMetrics(await runCentralized(loaded, split), split)['recall@10']
 */
export function modelMetrics(model: Pick<TrainedModel, 'shape' | 'weights' | 'features'>, split: LeaveLastOutSplit | EvaluationSplit, part: 'test' | 'validation' = 'test'): HeadlineMetrics {
  const heldOut = part === 'test' ? split.test : 'validation' in split ? split.validation : [];
  return headline(modelRanker(new ConceptScorer(model.shape, model.weights, model.features)), heldOut);
}

function headline(ranker: Ranker, heldOut: EvaluationSplit['test']): HeadlineMetrics {
  if (heldOut.length === 0) return { 'recall@10': 0, 'ndcg@10': 0 };
  const metrics = evaluateRanker(ranker, heldOut);
  return { 'recall@10': metrics['recall@10'], 'ndcg@10': metrics['ndcg@10'] };
}

/** A federated run's report: the privacy it spent, and the centralised model as one more baseline. */
export interface FederatedReport extends Omit<TrainingReport, 'baselines'> {
  mode: 'federated';
  /** `centralized` is null when the run was told to skip training it (--skip-centralized). */
  baselines: TrainingReport['baselines'] & { centralized: HeadlineMetrics | null };
  validation: TrainingReport['validation'] & { baselines: TrainingReport['validation']['baselines'] & { centralized: HeadlineMetrics | null } };
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
export function federatedReport(report: TrainingReport, run: FederatedRun, centralized: { test: HeadlineMetrics; validation: HeadlineMetrics } | null): FederatedReport {
  return {
    ...report,
    mode: 'federated',
    baselines: { ...report.baselines, centralized: centralized?.test ?? null },
    validation: { ...report.validation, baselines: { ...report.validation.baselines, centralized: centralized?.validation ?? null } },
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
  const v = report.validation;
  const rows: [string, HeadlineMetrics, HeadlineMetrics | null][] = [
    [`fedrec model (${report.mode})`, report.metrics, v.metrics],
    ...(federated?.baselines.centralized ? [['fedrec model (centralised)', federated.baselines.centralized, federated.validation.baselines.centralized] as [string, HeadlineMetrics, HeadlineMetrics | null]] : []),
    ['popularity (global)', report.baselines.popularity, v.baselines.popularity],
    ['popularity (per store)', report.baselines.popularityPerStore, v.baselines.popularityPerStore],
    ['item co-occurrence', report.baselines.cooccurrence, v.baselines.cooccurrence],
    ['personal repeat', report.baselines.personalRepeat, v.baselines.personalRepeat],
    ['ItemKNN (cosine)', report.baselines.itemKnn, v.baselines.itemKnn],
    ['implicit ALS (pooled)', report.baselines.als, v.baselines.als],
  ];
  const model = report.metrics['recall@10'];
  const lines = rows.map(([name, m, val], r) => {
    const ratio = r === 0 || m['recall@10'] === 0 ? '' : `  model ${(model / m['recall@10']).toFixed(2)}×`;
    return `${name.padEnd(28)} ${m['recall@10'].toFixed(4).padStart(9)} ${m['ndcg@10'].toFixed(4).padStart(9)} ${(val ? val['recall@10'].toFixed(4) : '').padStart(10)}${ratio}`;
  });
  const { world } = report;
  const heldOut = report.split === 'time' ? 'purchases after the cut-off' : 'last purchase';
  return [
    `${'ranker'.padEnd(28)} ${'recall@10'.padStart(9)} ${'ndcg@10'.padStart(9)} ${'validation'.padStart(10)}`,
    ...lines,
    '',
    `test: held-out ${heldOut} of ${world.heldOutShoppers} shoppers, ranked over all ${world.items} items; validation (recall@10): ${v.shoppers} shoppers`,
    `trained on ${world.trainPurchases} purchases in ${report.seconds.toFixed(1)} s, ${report.examplesPerSecond} examples/s (${report.backend} backend; ${Object.entries(report.options).map(([k, v]) => `${k} ${v}`).join(', ')}), evaluated in ${report.evaluationSeconds.toFixed(1)} s`,
    ...(federated
      ? [`job ${federated.jobId} ${federated.status} after ${federated.rounds} rounds; ${federated.epsilon === null ? 'no differential privacy' : `(ε, δ) = (${federated.epsilon.toFixed(3)}, ${federated.delta})`}`]
      : []),
  ].join('\n');
}

const round = (value: number, digits = 3): number => Number(value.toFixed(digits));
