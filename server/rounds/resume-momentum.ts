/**
 * What a resumed FedAvgM job continues its server momentum from. The momentum is not stored: it is
 * read back from the job's last released step (`momentumFromStep`), whose two weight versions the
 * store holds, so it is exactly as durable as the weights and needs no write of its own.
 */
import type { FedrecStore } from '../store/fedrec-store.ts';
import type { ModelWeights } from '../../models/weights/model-weights.ts';
import type { JobConfig } from './job-config.ts';
import { momentumFromStep } from './server-optimizer.ts';

/**
 * The momentum after the round that released `latest`, or undefined (start at 0) when the job does
 * not use FedAvgM, has released no round yet, or its previous version's weights were pruned
 * (`fedrec models prune`), in which case `log` says so: the job continues, its next step plain FedAvg.
 * @example const momentum = await resumeMomentum(store, jobId, config, { version, weights }, log);
 */
export async function resumeMomentum(
  store: FedrecStore,
  jobId: string,
  config: Pick<JobConfig, 'serverOptimizer' | 'serverLearningRate'>,
  latest: { version: number; weights: ModelWeights },
  log?: (line: string) => void,
): Promise<Float64Array | undefined> {
  if (config.serverOptimizer !== 'fedavgm') return undefined;
  const last = (await store.listRounds(jobId)).find((r) => r.releasedVersion === latest.version);
  if (!last) return undefined;
  const before = await store.getModelVersion(last.baseVersion);
  if (!before) {
    log?.(`job ${jobId}: model version ${last.baseVersion} was pruned, so its server momentum restarts at 0`);
    return undefined;
  }
  return momentumFromStep(before.weights.values, latest.weights.values, config.serverLearningRate);
}
