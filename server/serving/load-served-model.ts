/** Starting to serve from what the store holds: its catalogue and the version the lifecycle says is `serving`. */
import type { FedrecStore } from '../store/index.ts';
import { FedrecError } from '../errors/index.ts';
import { ServedModel } from './served-model.ts';

/**
 * A ServedModel with the store's catalogue, serving the one version in `serving` (an approver
 * put it there; see `server/governance/model-lifecycle.ts`). Nothing else ever serves: a version
 * released by training is a candidate until approved. With no serving version but a killed one,
 * serving starts withdrawn (the store ranking), as it was before the restart.
 * @example const servedModel = await loadServedModel(store);
 */
export async function loadServedModel(store: FedrecStore, options: { clock?: () => Date } = {}): Promise<ServedModel> {
  const servedModel = new ServedModel({ catalog: await store.listCatalog(), clock: options.clock });
  const states = await store.listModelStates();
  const serving = states.find((s) => s.state === 'serving');
  const stored = serving && (await store.getModelVersion(serving.version));
  if (stored) {
    try {
      servedModel.release(stored.record.version, stored.weights);
    } catch (thrown) {
      // A refused version (non-finite weights) is recorded in the model's readiness, which /readyz reports.
      if (!(thrown instanceof FedrecError)) throw thrown;
    }
  } else if (states.some((s) => s.state === 'killed')) servedModel.withdraw();
  return servedModel;
}
