/**
 * `fedrec train` without --centralized: the model trained by federated rounds, either on an
 * in-process coordinator with one simulated client per store (`runFederated`), or as a job on a
 * running coordinator whose store clients `fedrec sim --url` runs (`runFederatedOn`). Both return
 * the same TrainedModel as the centralised run, holding the job's final released weights, so the
 * report scores them exactly as it scores centralised ones.
 */
import { FedrecError } from '../server/errors/index.ts';
import type { LeaveLastOutSplit } from '../client-sim/world/index.ts';
import { defaultModelPriors, modelForWorld, selectBackend, withModelPriors, type ModelWeights, type WorldModel } from '../models/index.ts';
import { jobConfigSchema, jobView, type JobConfigInput, type JobView } from '../server/rounds/index.ts';
import { MemoryStore, type JobStatus } from '../server/store/index.ts';
import { CoordinatorClient } from './coordinator-client.ts';
import { startLocalFederation } from './local-federation.ts';
import { clientApiKey } from './api-key.ts';
import { RoundProgressBar, type ProgressStream } from './progress-bar.ts';
import type { TrainedModel } from './run-centralized.ts';
import type { LoadedWorld } from './world-options.ts';

export interface FederatedRun extends TrainedModel {
  mode: 'federated';
  jobId: string;
  status: JobStatus;
  /** Rounds completed (released). */
  rounds: number;
  /** ε spent by the job; null without DP. */
  epsilon: number | null;
  delta: number | null;
}

export interface FederatedRunOptions {
  progress?: ProgressStream;
  log?: (line: string) => void;
  /** Start the repeat term at this weight (withRepeatPrior); undefined: defaultModelPriors.repeat. */
  repeatPrior?: number;
  /** Start the description term at this weight (withDescriptionPrior); undefined: defaultModelPriors.description. */
  descriptionPrior?: number;
  /** Model shape hyperparameters other than the defaults (embedding sizes, history length). */
  shape?: Parameters<typeof modelForWorld>[2];
}

/**
 * Trains over the world's stores as simulated clients of a coordinator in this process (on a
 * throw-away in-memory store), with a round progress bar on `progress`.
 * @example const run = await runFederated(loaded, split, jobConfig({ rounds: 5 }, { shoppers: 300, stores: 3 }));
 */
export async function runFederated(loaded: LoadedWorld, split: LeaveLastOutSplit, config: JobConfigInput, options: FederatedRunOptions = {}): Promise<FederatedRun> {
  const backend = await selectBackend();
  const model = modelForWorld(loaded.world, loaded.seed, options.shape);
  withModelPriors(model.weights, { repeat: options.repeatPrior ?? defaultModelPriors.repeat, description: options.descriptionPrior ?? defaultModelPriors.description });
  const store = new MemoryStore();
  const bar = progressBar(config, options.progress);
  const log = options.log ?? ((line: string) => console.error(line));
  const federation = await startLocalFederation({
    store,
    port: 0,
    world: loaded.world,
    split,
    features: model.features,
    api: false,
    label: 'train',
    // Each store's connection line is the demo's news, not training's: the bar says what matters.
    log: (line) => (/ connected \(/.test(line) ? undefined : log(line)),
    onRound: (r) => bar.update({ round: r.round, loss: r.loss, recall: r.metrics['recall@10'], epsilon: r.epsilon }),
  });
  try {
    const started = performance.now();
    const { jobId, done } = await federation.coordinator.startJob(config, model.weights);
    await done;
    const seconds = (performance.now() - started) / 1000;
    bar.finish();
    const view = (await jobView(store, jobId))!;
    const final = await store.getModelVersion(view.latestVersion!);
    return federatedRun(model, view, final!.weights, backend, seconds);
  } finally {
    await federation.close();
    await store.close();
  }
}

export interface RemoteRunOptions extends FederatedRunOptions {
  /** How long to keep asking while fewer than the job's minimum clients are connected. */
  waitSeconds: number;
  /** Between reads of the job's state. */
  pollMs?: number;
}

/**
 * Uploads a fresh model for the world, starts the job on the coordinator at `url` once its minimum
 * clients are connected, follows it round by round, and downloads the final weights. The world
 * must be the one the store clients hold (same world flags), or their updates will not fit.
 * @example const run = await runFederatedOn('http://127.0.0.1:3000', loaded, config, { waitSeconds: 60 });
 */
export async function runFederatedOn(url: string, loaded: LoadedWorld, config: JobConfigInput, options: RemoteRunOptions): Promise<FederatedRun> {
  const client = new CoordinatorClient(url, clientApiKey('engineer'));
  const backend = await selectBackend();
  const log = options.log ?? ((line: string) => console.error(line));
  const model = modelForWorld(loaded.world, loaded.seed);
  withModelPriors(model.weights, defaultModelPriors);
  const initialVersion = await client.uploadModel(model.weights);
  let view = await startWhenClientsConnect(client, config, initialVersion, loaded.world.stores.length, options.waitSeconds, log);
  log(`job ${view.id} started on ${url} (initial model version ${initialVersion})`);
  const bar = progressBar(config, options.progress);
  const started = performance.now();
  let shown = 0;
  for (;;) {
    for (const r of view.rounds.slice(shown)) bar.update({ round: r.round, loss: r.loss, recall: r['recall@10'], epsilon: view.privacy.mode === 'dp' ? r.epsilon : null });
    shown = view.rounds.length;
    if (view.status !== 'created' && view.status !== 'running') break;
    await sleep(options.pollMs ?? 500);
    view = await client.job(view.id);
  }
  const seconds = (performance.now() - started) / 1000;
  bar.finish();
  // A job the coordinator refused mid-way has no version to score: say what happened to it.
  if (view.latestVersion === null) throw new FedrecError('unavailable', `job ${view.id} ended ${view.status}${view.statusDetail ? ` (${view.statusDetail})` : ''} without a model version`);
  return federatedRun(model, view, await client.weights(view.latestVersion), backend, seconds);
}

/**
 * Waits (up to `waitSeconds`) for one client per store of the world, then starts the job: q is
 * fixed from the population connected at the start, so starting as soon as the job's minimum is
 * there would size q for a fraction of the shoppers. After the wait, the job starts with whoever
 * is connected, and the coordinator refuses it if that is fewer than its minimum.
 */
async function startWhenClientsConnect(client: CoordinatorClient, config: JobConfigInput, version: number, stores: number, waitSeconds: number, log: (line: string) => void): Promise<JobView> {
  const end = Date.now() + waitSeconds * 1000;
  let connected = (await client.connectedClients()).length;
  if (connected < stores) log(`waiting up to ${waitSeconds} s for the world's ${stores} store clients (${connected} connected)`);
  while (connected < stores && Date.now() < end) {
    await sleep(250);
    connected = (await client.connectedClients()).length;
  }
  return client.startJob(config, version);
}

function progressBar(config: JobConfigInput, progress?: ProgressStream): RoundProgressBar {
  const parsed = jobConfigSchema.parse(config);
  const budget = parsed.privacy.mode === 'dp' ? (parsed.privacy.targetEpsilon ?? null) : null;
  return new RoundProgressBar(parsed.rounds, budget, progress);
}

function federatedRun(model: WorldModel, view: JobView, weights: ModelWeights, backend: TrainedModel['backend'], seconds: number): FederatedRun {
  const { config, privacy } = view;
  const options: Record<string, number> = {
    rounds: config.rounds,
    samplingRate: privacy.samplingRate,
    minClients: config.minClients,
    localEpochs: config.localEpochs,
    batchSize: config.batchSize,
    clientLearningRate: config.clientLearningRate,
    serverLearningRate: config.serverLearningRate,
    ...(privacy.noiseMultiplier !== null ? { noiseMultiplier: privacy.noiseMultiplier } : {}),
    ...(privacy.clipNorm !== null ? { clipNorm: privacy.clipNorm } : {}),
  };
  return {
    ...model,
    weights,
    mode: 'federated',
    backend,
    seconds,
    losses: view.rounds.map((r) => r.loss),
    options,
    jobId: view.id,
    status: view.status,
    rounds: view.completedRounds,
    epsilon: privacy.epsilonSpent,
    delta: privacy.delta,
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
