/**
 * Catalogue writes: the store is the record, the served model re-reads the items' features at once,
 * and the caller learns which of its items the served model cannot score (stored, never recommended).
 */
import type { CatalogItem } from '../../client-sim/world/index.ts';
import type { FedrecStore } from '../store/index.ts';
import type { ServedModel } from './served-model.ts';
import { unscorableCause, type UnscorableCause } from './serving-snapshot.ts';

export interface PutCatalogResult {
  inserted: number;
  updated: number;
  modelVersion: number | null;
  unscorable: { itemId: string; cause: UnscorableCause }[];
}

/** @example await putCatalog(store, servedModel, [{ id: 'i1', name: 'Skyr 150g', … }]) */
export async function putCatalog(store: FedrecStore, servedModel: ServedModel, items: CatalogItem[]): Promise<PutCatalogResult> {
  const { inserted, updated } = await store.putCatalog(items);
  servedModel.updateCatalog(items);
  const snapshot = servedModel.current();
  const unscorable = items.flatMap((item) => {
    const cause = snapshot ? unscorableCause(snapshot, item.id, true) : 'not-in-model';
    return cause ? [{ itemId: item.id, cause }] : [];
  });
  return { inserted, updated, modelVersion: snapshot?.version ?? null, unscorable };
}

/** One stored item, and whether the served model can score it; undefined if the catalogue lacks it. */
export async function catalogEntry(store: FedrecStore, servedModel: ServedModel, itemId: string) {
  const item = await store.getCatalogItem(itemId);
  if (!item) return undefined;
  const snapshot = servedModel.current();
  const cause = snapshot ? unscorableCause(snapshot, itemId, true) : 'not-in-model';
  return { item, modelVersion: snapshot?.version ?? null, scorable: cause === undefined, ...(cause ? { unscorableCause: cause } : {}) };
}
