/**
 * What a resumed job's server optimizer continues from:
 * - FedAvgM's momentum is not stored: it is read back from the job's last released step
 *   (`momentumFromStep`), whose two weight versions the store holds, so it is exactly as durable
 *   as the weights and needs no write of its own;
 * - FedAdam's moments cannot be read back from weights (v is a running mean of squares), so they are
 *   stored with each released round, in its `completeRound` transaction, and read here.
 */
import type { FedrecStore } from '../store/fedrec-store.ts';
import type { ModelWeights } from '../../models/weights/model-weights.ts';
import type { JobConfig } from './job-config.ts';
import { learningRateScaleVector } from './learning-rate-scales.ts';
import { momentumFromStep, type ResumedOptimizerState } from './server-optimizer.ts';

/**
 * The state after the round that released `latest`. Empty (the optimizer starts afresh) for
 * FedAvg, before any released round, when FedAvgM's previous version was pruned (`fedrec models
 * prune`), or when FedAdam's stored moments are not those of `latest` (a store written before they
 * were kept); `log` says which, and the job continues.
 * @example const resumed = await resumeOptimizerState(store, jobId, config, { version, weights }, log);
 */
export async function resumeOptimizerState(
  store: FedrecStore,
  jobId: string,
  config: Pick<JobConfig, 'serverOptimizer' | 'serverLearningRate' | 'serverLearningRateScales'>,
  latest: { version: number; weights: ModelWeights },
  log?: (line: string) => void,
): Promise<ResumedOptimizerState> {
  if (config.serverOptimizer === 'fedavg') return {};
  const last = (await store.listRounds(jobId)).find((r) => r.releasedVersion === latest.version);
  if (!last) return {};
  if (config.serverOptimizer === 'fedadam') {
    const stored = await store.getOptimizerState(jobId);
    if (stored?.version === latest.version && stored.state.length === 2 * latest.weights.values.length) return { adamMoments: stored.state };
    log?.(`job ${jobId}: no FedAdam moments stored with model version ${latest.version}, so they restart (m = 0, v = τ²)`);
    return {};
  }
  const before = await store.getModelVersion(last.baseVersion);
  if (!before) {
    log?.(`job ${jobId}: model version ${last.baseVersion} was pruned, so its server momentum restarts at 0`);
    return {};
  }
  const scales = learningRateScaleVector(latest.weights.manifest, config.serverLearningRateScales);
  return { momentum: momentumFromStep(before.weights.values, latest.weights.values, config.serverLearningRate, scales) };
}
