/**
 * How the model lifecycle switches what is served: read the version's weights and build its
 * snapshot first (the part that can fail), then hand back the one synchronous swap.
 */
import { FedrecError } from '../errors/index.ts';
import type { FedrecStore } from '../store/index.ts';
import type { ServedModel } from './served-model.ts';

/** @example const install = await prepareServing(store, servedModel)(7); … install(); */
export function prepareServing(store: FedrecStore, servedModel: ServedModel): (version: number | null) => Promise<() => void> {
  return async (version) => {
    if (version === null) return () => servedModel.withdraw();
    const stored = await store.getModelVersion(version);
    if (!stored) throw new FedrecError('not-found', `no model version ${version}`);
    const snapshot = servedModel.prepare(version, stored.weights);
    return () => servedModel.install(snapshot);
  };
}
