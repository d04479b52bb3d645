/**
 * Top-k recommendations for one request, transport-free. The hot path scores the whole catalogue
 * with the snapshot's `CatalogueScorer` (typed arrays and a WebAssembly SIMD kernel, no tensors),
 * selects with a bounded heap, and explains only the k items it returns. Nothing about the shopper outlives the call: the history arrives in
 * the request and is dropped with it.
 */
import { ClosedFormShapley, conceptGame, conceptPlayers, explainItem, type Explainer, type ItemExplanation, type NonPersonalizedCode, type PurchaseWords } from '../../explain/index.ts';
import type { ServingSnapshot } from './serving-snapshot.ts';
import { topK } from '../../models/recommender/top-k.ts';

export interface RecommendationRequest {
  /** Past purchases, oldest first (or ordered by `time` when every entry has one). */
  history: { itemId: string; time?: string }[];
  context: { storeId: string; time?: string };
  /** The shopper's consent to personalisation; without it the history is not read at all. */
  personalization: boolean;
  k: number;
  exclude?: string[];
  excludeCategories?: string[];
  /** Brands never to recommend (a shopper's stored choice). */
  excludeBrands?: string[];
  /** Why the response is not personalised, for its reasons (default `non-personalized`: the request's flag). */
  nonPersonalizedBecause?: NonPersonalizedCode;
  /** false: scores and ranks only (no attributions, no sentence). */
  explain: boolean;
}

export interface RecommendedItem extends Partial<Omit<ItemExplanation, 'score'>> {
  itemId: string;
  name: string;
  category: string;
  price: number;
  score: number;
  rank: number;
}

export interface RecommendationResponse {
  /** The model version that served the response; null when no approved version serves (`servedBy: store-ranking`). */
  modelVersion: number | null;
  /** `model`: the version in `serving`. `store-ranking`: a kill left no approved version, see `store-ranking.ts`. */
  servedBy: 'model' | 'store-ranking';
  personalized: boolean;
  /** `known: false`: the model has no such store, so popularity at the store is left out. */
  store: { id: string; known: boolean };
  items: RecommendedItem[];
  /** History item ids the served model cannot read (unknown to it or not scorable), each once. */
  ignoredHistory: string[];
  /** How many purchases the model read: the most recent `historyLength` known ones. */
  historyRead: number;
}

const closedForm = new ClosedFormShapley();

/**
 * @example recommend(servedModel.require(), { history: [{ itemId: 'i00012' }], context: { storeId: 'store-01' }, personalization: true, k: 10, explain: true })
 */
export function recommend(snapshot: ServingSnapshot, request: RecommendationRequest, explainer: Explainer = closedForm): RecommendationResponse {
  const { scorer, itemIndex, scorable, vocabulary } = snapshot;
  const storeIndex = snapshot.storeIndex.get(request.context.storeId);
  const history: number[] = [];
  const ignored = new Set<string>();
  if (request.personalization) {
    for (const { itemId } of chronological(request.history)) {
      const index = itemIndex.get(itemId);
      if (index !== undefined && scorable[index]) history.push(index);
      else ignored.add(itemId);
    }
  }
  const context = { history, store: storeIndex ?? -1 };
  const prepared = scorer.prepare(context);
  const scores = snapshot.catalogueScorer.scoreAll(prepared);
  // topK skips NaN: one write per masked item instead of a set lookup per catalogue item.
  for (const i of snapshot.unscorable) scores[i] = NaN;
  for (const id of request.exclude ?? []) {
    const index = itemIndex.get(id);
    if (index !== undefined) scores[index] = NaN;
  }
  for (const category of request.excludeCategories ?? []) for (const i of snapshot.itemsByCategory.get(category) ?? []) scores[i] = NaN;
  if (request.excludeBrands?.length) {
    const brands = new Set(request.excludeBrands);
    snapshot.items.forEach((item, i) => {
      if (item && brands.has(item.brand)) scores[i] = NaN;
    });
  }

  const top = topK(scores, request.k, snapshot.catalogueScorer.blocks);
  const players = request.explain ? conceptPlayers(prepared.history) : [];
  const words: PurchaseWords = new Map();
  // Each item is built once in its final key order (rank set after sorting): object spreads here
  // were 13% of an explained request in a CPU profile.
  const items = top.map((index): RecommendedItem => {
    const { id, name, category, price } = snapshot.items[index]!;
    if (!request.explain) return { rank: 0, itemId: id, name, category, price, score: scores[index] };
    const game = conceptGame(scorer, snapshot.weights, context, index, prepared, players);
    const e = explainItem(game, explainer, vocabulary, request.personalization, words, request.nonPersonalizedBecause);
    const explained: RecommendedItem = { rank: 0, itemId: id, name, category, price, score: e.score, baseline: e.baseline, method: e.method, attributions: e.attributions, reasonConcepts: e.reasonConcepts, reason: e.reason };
    if (e.completenessError !== undefined) explained.completenessError = e.completenessError;
    return explained;
  });
  // Ranked by the reported score: the explained score is the exact float64 sum, the catalogue scorer's is float32.
  items.sort((a, b) => b.score - a.score);
  items.forEach((item, i) => (item.rank = i + 1));
  return {
    modelVersion: snapshot.version,
    servedBy: 'model',
    personalized: request.personalization,
    store: { id: request.context.storeId, known: storeIndex !== undefined },
    items,
    ignoredHistory: [...ignored],
    historyRead: prepared.history.length,
  };
}

/** The history oldest first: by `time` when the entries carry one (stable for equal times), else as sent. */
function chronological(history: RecommendationRequest['history']): RecommendationRequest['history'] {
  if (!history.some((entry) => entry.time !== undefined)) return history;
  return history.map((entry, i) => ({ entry, i, t: Date.parse(entry.time ?? '') })).sort((a, b) => a.t - b.t || a.i - b.i).map((e) => e.entry);
}
