/**
 * Scores items with plain typed-array arithmetic (no tensors: serving and evaluation score one
 * request at a time, where tfjs' per-op overhead would dominate) and splits each score into its
 * named concepts. The formula is the one in `model-shape.ts`; `recommender-graph.ts` computes the
 * same in tfjs for training, and a test holds the two together.
 */
import type { ModelWeights } from '../weights/model-weights.ts';
import { parameterView } from '../weights/model-weights.ts';
import type { ItemFeatures } from './item-features.ts';
import { parameterShapes, type ModelShape } from './model-shape.ts';
import { softplus, sigmoid } from './activations.ts';
import { addDescriptionSimilarities, descriptionSimilarity } from './description-tokens.ts';

/** What the model is told about a shopper: recent purchases (oldest first) and their store. */
export interface ShopperContext {
  history: readonly number[];
  /** Store index, or -1 for a store the model does not know (its concept then contributes 0). */
  store: number;
}

/** Which concepts take part; absent concepts are replaced by their baseline (see `scoreMasked`). */
export interface ConceptMask {
  /** Positions (indices into the truncated history) whose purchase is present. */
  purchases: ReadonlySet<number>;
  categoryAffinity: boolean;
  priceFit: boolean;
  promotion: boolean;
  novelty: boolean;
  storePopularity: boolean;
}

/** One item's score split into concepts; baseline + every contribution = score, exactly. */
export interface ConceptTerms {
  baseline: number;
  /** One entry per history position, in history order. */
  purchases: { item: number; position: number; contribution: number }[];
  categoryAffinity: number;
  priceFit: number;
  promotion: number;
  novelty: number;
  storePopularity: number;
}

export interface PreparedContext {
  history: number[];
  /** ω_j per history position. */
  weights: Float64Array;
  /** Σ_j ω_j itemHistory[h_j] + itemNext[h_last]: everything that dots with itemCandidate[i]. */
  queryVector: Float64Array;
  /** Σ ω_j per category. */
  categoryMass: Float64Array;
  /** Weighted mean log price of the history, or undefined for an empty history. */
  meanLogPrice: number | undefined;
  store: number;
}

export class ConceptScorer {
  private readonly p: Record<string, Float32Array>;

  constructor(
    readonly shape: ModelShape,
    weights: ModelWeights,
    readonly features: ItemFeatures,
  ) {
    this.p = Object.fromEntries(weights.manifest.parameters.map((q) => [q.name, parameterView(weights, q.name)]));
    const missing = parameterShapes(shape).filter((q) => !(q.name in this.p)).map((q) => q.name);
    if (missing.length > 0) throw new Error(`ConceptScorer: weights lack ${missing.join(', ')} (format ${weights.manifest.format})`);
    if (features.category.length !== shape.items) {
      throw new Error(`ConceptScorer: features describe ${features.category.length} items, model has ${shape.items}`);
    }
    if (features.description.itemOffsets.length !== shape.items + 1) {
      throw new Error(`ConceptScorer: descriptions cover ${features.description.itemOffsets.length - 1} items, model has ${shape.items}`);
    }
  }

  /** Per-request work shared by every item's score: ω, the query vector, category mass, mean price. */
  prepare(context: ShopperContext): PreparedContext {
    const { historyLength: L, embeddingDim: d, categories } = this.shape;
    const history = context.history.slice(-L);
    const n = history.length;
    const weights = new Float64Array(n);
    const queryVector = new Float64Array(d);
    const categoryMass = new Float64Array(categories);
    const E = this.p.itemHistory;
    const normalizer = n > 0 ? Math.pow(n, -sigmoid(this.p.historyExponent[0])) : 0;
    let weightSum = 0;
    let priceSum = 0;
    for (let j = 0; j < n; j++) {
      // Right-aligned positions: the most recent purchase always uses positionWeight[L - 1].
      const w = softplus(this.p.positionWeight[L - n + j]) * normalizer;
      const item = history[j];
      weights[j] = w;
      for (let k = 0; k < d; k++) queryVector[k] += w * E[item * d + k];
      categoryMass[this.features.category[item]] += w;
      weightSum += w;
      priceSum += w * this.features.logPrice[item];
    }
    // The latest-purchase term dots with the same candidate embedding, so it folds into the query.
    if (n > 0) for (let k = 0, o = history[n - 1] * d; k < d; k++) queryVector[k] += this.p.itemNext[o + k];
    const store = context.store >= 0 && context.store < this.shape.stores ? context.store : -1;
    return { history, weights, queryVector, categoryMass, meanLogPrice: n > 0 ? priceSum / weightSum : undefined, store };
  }

  /**
   * The additive term of the purchase at `position` for candidate `item`: ω_j (e_h · f_i + repeat ·
   * [h = i]), plus the latest-purchase terms (itemNext and the description similarity) when it is
   * the most recent purchase. Every view of the score (conceptTerms, scoreMasked, the explainers)
   * goes through this one function.
   */
  purchaseTerm(ctx: PreparedContext, position: number, item: number): number {
    const d = this.shape.embeddingDim;
    const h = ctx.history[position];
    const E = this.p.itemHistory;
    const F = this.p.itemCandidate;
    let dotProduct = 0;
    for (let k = 0; k < d; k++) dotProduct += E[h * d + k] * F[item * d + k];
    let term = ctx.weights[position] * (dotProduct + (h === item ? this.p.repeatWeight[0] : 0));
    if (position === ctx.history.length - 1) {
      const N = this.p.itemNext;
      for (let k = 0; k < d; k++) term += N[h * d + k] * F[item * d + k];
      term += this.p.descriptionWeight[0] * descriptionSimilarity(this.features.description, h, item);
    }
    return term;
  }

  /** Scores every item into `out` (length = items). */
  scoreAll(ctx: PreparedContext, out: Float32Array): Float32Array {
    const { items, embeddingDim: d, storeDim: ds } = this.shape;
    const { itemBias, itemCandidate: F, categoryAffinity, itemStore: G, storeEmbedding: S } = this.p;
    const u = ctx.queryVector;
    const priceWeight = softplus(this.p.priceFit[0]);
    const promo = this.p.promotion[0];
    const novelty = this.p.novelty[0];
    const f = this.features;
    for (let i = 0; i < items; i++) {
      let s = itemBias[i] + promo * f.promotion[i] + novelty * f.novelty[i];
      const c = f.category[i];
      s += categoryAffinity[c] * ctx.categoryMass[c];
      for (let k = 0, o = i * d; k < d; k++) s += u[k] * F[o + k];
      if (ctx.meanLogPrice !== undefined) {
        const gap = f.logPrice[i] - ctx.meanLogPrice;
        s -= priceWeight * gap * gap;
      }
      if (ctx.store >= 0) for (let k = 0, o = i * ds, so = ctx.store * ds; k < ds; k++) s += S[so + k] * G[o + k];
      out[i] = s;
    }
    const repeat = this.p.repeatWeight[0];
    for (let j = 0; j < ctx.history.length; j++) out[ctx.history[j]] += repeat * ctx.weights[j];
    if (ctx.history.length > 0) addDescriptionSimilarities(f.description, ctx.history[ctx.history.length - 1], this.p.descriptionWeight[0], out);
    return out;
  }

  /** The closed-form split of one item's score into concepts (each concept's own additive term). */
  conceptTerms(ctx: PreparedContext, item: number): ConceptTerms {
    const ds = this.shape.storeDim;
    const f = this.features;
    const purchases = ctx.history.map((h, position) => ({ item: h, position, contribution: this.purchaseTerm(ctx, position, item) }));
    let storePopularity = 0;
    if (ctx.store >= 0) for (let k = 0; k < ds; k++) storePopularity += this.p.storeEmbedding[ctx.store * ds + k] * this.p.itemStore[item * ds + k];
    const gap = ctx.meanLogPrice === undefined ? 0 : f.logPrice[item] - ctx.meanLogPrice;
    return {
      baseline: this.p.itemBias[item],
      purchases,
      categoryAffinity: this.p.categoryAffinity[f.category[item]] * ctx.categoryMass[f.category[item]],
      priceFit: -softplus(this.p.priceFit[0]) * gap * gap,
      promotion: this.p.promotion[0] * f.promotion[item],
      novelty: this.p.novelty[0] * f.novelty[item],
      storePopularity,
    };
  }

  /**
   * The score with absent concepts set to their baseline input: an absent purchase is removed from
   * the sums (the request's normaliser |H|^γ and position weights stay), absent category affinity or
   * price fit see an empty history, absent flags are off, an absent store is unknown. This is the
   * value function v(S) of the Shapley game; it recomputes from inputs, never from `conceptTerms`.
   */
  scoreMasked(context: ShopperContext, item: number, mask: ConceptMask): number {
    const full = this.prepare(context);
    const ds = this.shape.storeDim;
    const f = this.features;
    let score = this.p.itemBias[item];
    let categoryMass = 0;
    let weightSum = 0;
    let priceSum = 0;
    full.history.forEach((h, j) => {
      const w = full.weights[j];
      weightSum += w;
      priceSum += w * f.logPrice[h];
      if (f.category[h] === f.category[item]) categoryMass += w;
      if (mask.purchases.has(j)) score += this.purchaseTerm(full, j, item);
    });
    if (mask.categoryAffinity) score += this.p.categoryAffinity[f.category[item]] * categoryMass;
    if (mask.priceFit && full.history.length > 0) score -= softplus(this.p.priceFit[0]) * (f.logPrice[item] - priceSum / weightSum) ** 2;
    if (mask.promotion) score += this.p.promotion[0] * f.promotion[item];
    if (mask.novelty) score += this.p.novelty[0] * f.novelty[item];
    if (mask.storePopularity && full.store >= 0) {
      for (let k = 0; k < ds; k++) score += this.p.storeEmbedding[full.store * ds + k] * this.p.itemStore[item * ds + k];
    }
    return score;
  }
}
