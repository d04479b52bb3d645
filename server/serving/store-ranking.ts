/**
 * What shoppers get while no approved model serves (a kill left none): a non-personalised
 * ranking that needs no model at all, from the catalogue alone: items on promotion first, then new
 * arrivals, then the catalogue's own order. The server keeps no sales counts (it never sees
 * purchases), so this is the only ranking it can make without a model; every item's reason says
 * that the model was switched off. Built from reason codes and templates like every other reason.
 */
import { renderClause, sentenceTemplates } from '../../explain/index.ts';
import type { CatalogItem } from '../../client-sim/world/index.ts';
import type { RecommendationRequest, RecommendationResponse, RecommendedItem } from './recommend.ts';

/** An item's place in the ranking: promotion 1, novelty 0.5, their sum (ties keep catalogue order). */
const appeal = (item: CatalogItem): number => (item.promotion ? 1 : 0) + (item.novelty ? 0.5 : 0);

/** @example storeRanking(servedModel.catalogItems(), { history: [], context: { storeId: 's1' }, personalization: true, k: 10, explain: true }) */
export function storeRanking(catalog: readonly CatalogItem[], request: RecommendationRequest): RecommendationResponse {
  const excluded = new Set(request.exclude ?? []);
  const excludedCategories = new Set(request.excludeCategories ?? []);
  const excludedBrands = new Set(request.excludeBrands ?? []);
  const ranked = catalog
    .filter((item) => !excluded.has(item.id) && !excludedCategories.has(item.category) && !excludedBrands.has(item.brand))
    .map((item, order) => ({ item, order, score: appeal(item) }))
    .sort((a, b) => b.score - a.score || a.order - b.order)
    .slice(0, request.k);
  const items = ranked.map(({ item, score }, i): RecommendedItem => {
    const base: RecommendedItem = { rank: i + 1, itemId: item.id, name: item.name, category: item.category, price: item.price, score };
    if (!request.explain) return base;
    const clauses = [...(item.promotion ? [renderClause({ code: 'on-promotion', params: {} })] : []), ...(item.novelty ? [renderClause({ code: 'new-arrival', params: {} })] : [])];
    // No model, so no attributions: the score is all baseline, and score = baseline + Σ (nothing) holds.
    return { ...base, baseline: score, attributions: [], reasonConcepts: [], reason: sentenceTemplates.modelWithdrawn(clauses) };
  });
  return { modelVersion: null, servedBy: 'store-ranking', personalized: false, store: { id: request.context.storeId, known: false }, items, ignoredHistory: [], historyRead: 0 };
}
