/** Starting to serve from what the store holds: its catalogue and the newest model a training round released. */
import type { FedrecStore } from '../store/index.ts';
import { FedrecError } from '../errors/index.ts';
import { ServedModel } from './served-model.ts';

/**
 * A ServedModel with the store's catalogue, serving the newest version a training round released
 * (round ≥ 1), as a running server does when a round releases one. A version stored any other way
 * is not a release: an upload (`POST /v1/model-versions`) or a job's starting point (round 0) is
 * what a job starts from, and serving it after a restart would put an untrained or unvetted model
 * in front of shoppers. Promotion and the kill switch will choose the version once governance
 * lands; until then, the newest release.
 * @example const servedModel = await loadServedModel(store);
 */
export async function loadServedModel(store: FedrecStore, options: { clock?: () => Date } = {}): Promise<ServedModel> {
  const servedModel = new ServedModel({ catalog: await store.listCatalog(), clock: options.clock });
  const released = (await store.listModelVersions()).filter((record) => record.round >= 1).sort((a, b) => b.version - a.version);
  // Newest first; a version serving refuses (non-finite weights) is recorded in its readiness
  // and the next older release is tried instead.
  for (const record of released) {
    const stored = await store.getModelVersion(record.version);
    if (!stored) continue;
    try {
      servedModel.release(stored.record.version, stored.weights);
      break;
    } catch (thrown) {
      if (!(thrown instanceof FedrecError)) throw thrown;
    }
  }
  return servedModel;
}
