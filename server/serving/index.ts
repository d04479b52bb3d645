/**
 * Serving: the model version being served (swapped atomically by `release`) and top-k explained
 * recommendations from it, transport-free. The training side calls `ServedModel.release` when a new
 * version is released; the REST adapter in `server/api/` calls `recommend`.
 */
export { ServedModel } from './served-model.ts';
export type { ServingReadiness, ServingRefusal } from './served-model.ts';
export { loadServedModel } from './load-served-model.ts';
export { recommend } from './recommend.ts';
export { storeRanking } from './store-ranking.ts';
export { prepareServing } from './prepare-serving.ts';
export { catalogEntry, putCatalog } from './put-catalog.ts';
export type { PutCatalogResult } from './put-catalog.ts';
export type { RecommendationRequest, RecommendationResponse, RecommendedItem } from './recommend.ts';
export { unscorableCause } from './serving-snapshot.ts';
export type { ServingSnapshot, UnscorableCause } from './serving-snapshot.ts';
