/**
 * Scores the whole catalogue for one request, fast: the same formula as `ConceptScorer.scoreAll`
 * (`models/recommender/model-shape.ts`), rearranged for serving. Per snapshot, the terms no request
 * changes are summed once per store (item bias, promotion, novelty, and the popularity at that store
 * storeEmbedding[s] · itemStore[i], which depends on the request only through its store: `fixed_{s,i}`;
 * one more row without the store term serves unknown stores), so a request's one dot product per
 * item is the query vector against the item's candidate embedding, run by the SIMD kernel of
 * `catalogue-score-kernel.ts`:
 *
 *   score_i = fixed_{s,i} + categoryAffinity[c_i] M_{c_i} − softplus(priceFit) (log p_i − μ_H)²
 *           + queryVector · itemCandidate[i]
 *           + repeatWeight Σ_j ω_j [h_j = i] + descriptionWeight cos(words(h_last), words(i))
 *
 * Folding the store term in made rows 32 floats instead of 40 (embeddingDim + storeDim) on the
 * bench model; the per-store rows cost (stores + 1) × items floats per snapshot (840 KB for 20
 * stores × 10,000 items), and a request copies its store's row into the kernel.
 *
 * The per-request parts (ω, the query vector with its latest-purchase term, category mass M, μ_H)
 * come from `ConceptScorer.prepare`, so they cannot drift from the model. These scores only choose
 * the k items to return: every returned item's score is recomputed exactly (float64) by the
 * explainer, and `catalogue-scorer.test.ts` holds this scorer to `scoreAll` on models with every
 * parameter random, so a term added to the model without following here fails that test.
 */
import { softplus } from '../../models/recommender/activations.ts';
import type { ConceptScorer, PreparedContext } from '../../models/recommender/concept-scorer.ts';
import { parameterView, type ModelWeights } from '../../models/weights/model-weights.ts';
import { addDescriptionSimilarities } from '../../models/recommender/description-tokens.ts';
import { catalogueScoreKernel, type CatalogueScoreKernel } from './catalogue-score-kernel.ts';

export class CatalogueScorer {
  private readonly kernel: CatalogueScoreKernel;
  private readonly categoryAffinity: Float32Array;
  /** fixed_{s,i} for store s at row s + 1, row 0 for an unknown store (no store term); items floats a row. */
  private readonly fixedByStore: Float32Array;
  private readonly priceWeight: number;
  private readonly repeatWeight: number;
  private readonly descriptionWeight: number;

  /** @example const fast = new CatalogueScorer(scorer, weights); const scores = fast.scoreAll(scorer.prepare(context)); */
  constructor(
    private readonly scorer: ConceptScorer,
    weights: ModelWeights,
    options: { simd?: boolean } = {},
  ) {
    const { items, stores, embeddingDim: d, storeDim: ds, categories } = scorer.shape;
    const view = (name: string) => parameterView(weights, name);
    const [itemBias, itemCandidate, itemStore, storeEmbedding] = [view('itemBias'), view('itemCandidate'), view('itemStore'), view('storeEmbedding')];
    const features = scorer.features;
    const kernel = catalogueScoreKernel(items, d, categories, options);
    const promotion = view('promotion')[0];
    const novelty = view('novelty')[0];
    const fixedByStore = new Float32Array((stores + 1) * items);
    for (let i = 0; i < items; i++) {
      kernel.rows.set(itemCandidate.subarray(i * d, (i + 1) * d), i * kernel.width);
      const fixed = itemBias[i] + promotion * features.promotion[i] + novelty * features.novelty[i];
      fixedByStore[i] = fixed;
      for (let s = 0; s < stores; s++) {
        let popularity = 0;
        for (let k = 0; k < ds; k++) popularity += storeEmbedding[s * ds + k] * itemStore[i * ds + k];
        fixedByStore[(s + 1) * items + i] = fixed + popularity;
      }
      kernel.category[i] = 4 * features.category[i];
    }
    kernel.logPrice.set(features.logPrice);
    this.kernel = kernel;
    this.fixedByStore = fixedByStore;
    this.categoryAffinity = view('categoryAffinity');
    this.priceWeight = softplus(view('priceFit')[0]);
    this.repeatWeight = view('repeatWeight')[0];
    this.descriptionWeight = view('descriptionWeight')[0];
  }

  /** The largest score of each block of items, after `scoreAll`: an upper bound for `topK` to skip by. */
  get blocks(): { max: Float32Array; size: number } {
    return { max: this.kernel.blockMax, size: this.kernel.blockSize };
  }

  /**
   * Every item's score, into a buffer this scorer reuses: read it before the next call (requests
   * are scored synchronously, so one buffer per snapshot is never shared).
   */
  scoreAll(ctx: PreparedContext): Float32Array {
    const { items } = this.scorer.shape;
    const { query, fixed, categoryTerm, out } = this.kernel;
    query.set(ctx.queryVector, 0);
    const row = ctx.store + 1;
    fixed.set(this.fixedByStore.subarray(row * items, (row + 1) * items));
    for (let c = 0; c < categoryTerm.length; c++) categoryTerm[c] = this.categoryAffinity[c] * ctx.categoryMass[c];
    // An empty history has no price profile: the price term is absent, as in scoreAll.
    if (ctx.meanLogPrice === undefined) this.kernel.score(0, 0);
    else this.kernel.score(this.priceWeight, ctx.meanLogPrice);
    const { blockMax, blockSize } = this.kernel;
    for (let j = 0; j < ctx.history.length; j++) {
      const item = ctx.history[j];
      out[item] += this.repeatWeight * ctx.weights[j];
      const b = Math.floor(item / blockSize);
      blockMax[b] = Math.max(blockMax[b], out[item]);
    }
    // The items described like the latest purchase: a few postings, added after the kernel like the repeats.
    const n = ctx.history.length;
    if (n > 0 && this.descriptionWeight !== 0) {
      const description = this.scorer.features.description;
      const latest = ctx.history[n - 1];
      addDescriptionSimilarities(description, latest, this.descriptionWeight, out);
      for (let e = description.itemOffsets[latest]; e < description.itemOffsets[latest + 1]; e++) {
        const token = description.tokens[e];
        for (let p = description.tokenOffsets[token]; p < description.tokenOffsets[token + 1]; p++) {
          const item = description.postingItems[p];
          const b = Math.floor(item / blockSize);
          blockMax[b] = Math.max(blockMax[b], out[item]);
        }
      }
    }
    return out;
  }
}
