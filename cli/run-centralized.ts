/**
 * `fedrec train --centralized`: the whole training set pooled in one process, the non-private
 * reference the federated runs are measured against. Returns the same TrainedModel a federated run
 * will, so evaluation and reporting do not care which one produced the weights.
 */
import type { LeaveLastOutSplit } from '../client-sim/world/index.ts';
import { defaultCentralizedOptions, defaultModelPriors, modelForWorld, withModelPriors, selectBackend, trainCentralized, type BackendName, type CentralizedOptions, type WorldModel } from '../models/index.ts';
import { ProgressBar, type ProgressStream } from './progress-bar.ts';
import type { LoadedWorld } from './world-options.ts';

export interface TrainedModel extends WorldModel {
  mode: 'centralized' | 'federated';
  backend: BackendName;
  /** Wall time of training alone (not world loading or evaluation). */
  seconds: number;
  /** Mean training loss of each epoch (centralised) or round (federated). */
  losses: number[];
  options: Record<string, number>;
}

export type TrainingOverrides = Partial<Pick<CentralizedOptions, 'epochs' | 'learningRate' | 'batchSize'>>;

/**
 * Trains a fresh model for the world on every training purchase, with a progress bar on `progress`.
 * @example const trained = await runCentralized(loaded, leaveLastOut(loaded.world.shoppers), { epochs: 1 });
 */
export async function runCentralized(loaded: LoadedWorld, split: LeaveLastOutSplit, overrides: TrainingOverrides = {}, progress: ProgressStream = process.stderr): Promise<TrainedModel> {
  const backend = await selectBackend();
  const model = modelForWorld(loaded.world, loaded.seed);
  // The same data-free start as a federated run, so the two are compared from one initial model.
  withModelPriors(model.weights, defaultModelPriors);
  const options: CentralizedOptions = {
    ...defaultCentralizedOptions,
    epochs: overrides.epochs ?? defaultCentralizedOptions.epochs,
    learningRate: overrides.learningRate ?? defaultCentralizedOptions.learningRate,
    batchSize: overrides.batchSize ?? defaultCentralizedOptions.batchSize,
    seed: loaded.seed,
  };
  const bar = new ProgressBar(options.epochs, progress);
  const started = performance.now();
  const losses = await trainCentralized(model.weights, model.features, split.train, { ...options, onProgress: (p) => bar.update(p) });
  bar.finish();
  const seconds = (performance.now() - started) / 1000;
  const { epochs, batchSize, learningRate, negatives } = options;
  return { ...model, mode: 'centralized', backend, seconds, losses, options: { epochs, batchSize, learningRate, negatives } };
}
