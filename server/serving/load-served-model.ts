/** Starting to serve from what the store holds: its catalogue and its newest model version. */
import type { FedrecStore } from '../store/index.ts';
import { ServedModel } from './served-model.ts';

/**
 * A ServedModel with the store's catalogue, serving the newest stored model version if there is one
 * (promotion and the kill switch will choose the version once governance lands; until then, newest).
 * @example const servedModel = await loadServedModel(store);
 */
export async function loadServedModel(store: FedrecStore, options: { clock?: () => Date } = {}): Promise<ServedModel> {
  const servedModel = new ServedModel({ catalog: await store.listCatalog(), clock: options.clock });
  const latest = await store.latestModelVersion();
  const stored = latest && (await store.getModelVersion(latest.version));
  if (stored) servedModel.release(stored.record.version, stored.weights);
  return servedModel;
}
