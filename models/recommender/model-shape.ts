/**
 * The recommender's parameters, by name and shape. The model is a generalised additive model over
 * named concepts (see `concept-scorer.ts`), so every parameter belongs to exactly one concept:
 *
 *   score(i | history H, store s) =
 *       itemBias[i]                                          baseline: the item's global appeal
 *     + Σ_{j∈H} ω_j (itemHistory[h_j] · itemCandidate[i]     each past purchase ("because you bought …")
 *                    + repeatWeight · [h_j = i])
 *     + itemNext[h_last] · itemCandidate[i]                  what tends to follow the latest purchase
 *     + descriptionWeight · cos(words(h_last), words(i))     items described like the latest purchase
 *     + categoryAffinity[c_i] · Σ_{j∈H} ω_j [c_{h_j} = c_i]   the shopper's affinity for i's category
 *     − softplus(priceFit) · (log p_i − μ_H)²                  price fit to the shopper's usual prices
 *     + promotion · promo_i + novelty · new_i                  catalogue flags
 *     + storeEmbedding[s] · itemStore[i]                       popularity / trend at the shopper's store
 *
 * with ω_j = softplus(positionWeight[pos_j]) / |H|^γ, γ = sigmoid(historyExponent) ∈ (0, 1): the
 * normaliser is fixed by the request, not by a coalition, so each purchase enters additively (what
 * exact "because you bought X" needs). γ is learned because re-buys and tastes scale differently
 * with history length: a uniform re-buy of one of |H| purchases wants 1/|H|, a taste average
 * 1/√|H| (γ starts at ½, the mean-embedding normaliser of YouTube-DNN style models).
 *
 * The latest-purchase term is the Markov-chain half of FPMC (Rendle et al. 2010, "Factorizing
 * personalized Markov chains"): baskets follow the last item ("bought pasta, now sauce") in a way a
 * taste average blurs. It belongs to the latest purchase, so that purchase's attribution carries it.
 * The description term is its few-parameter twin: the cosine of the two items' TF-IDF name vectors
 * (public catalogue data, `description-tokens.ts`) through one learned weight, so a DP round learns
 * "a matching item follows" as one coordinate instead of thousands of noisy embedding rows. It too
 * belongs to the latest purchase.
 */
export interface ModelShape {
  items: number;
  stores: number;
  categories: number;
  embeddingDim: number;
  storeDim: number;
  /** How many most recent purchases the model reads. */
  historyLength: number;
}

export const defaultShapeHyperparameters = { embeddingDim: 32, storeDim: 8, historyLength: 20 } as const;

export type ParameterName =
  | 'itemBias'
  | 'itemHistory'
  | 'itemCandidate'
  | 'itemNext'
  | 'positionWeight'
  | 'historyExponent'
  | 'repeatWeight'
  | 'descriptionWeight'
  | 'categoryAffinity'
  | 'priceFit'
  | 'promotion'
  | 'novelty'
  | 'storeEmbedding'
  | 'itemStore';

/**
 * The parameters that are not a row per item: each has a handful of coordinates that every sampled
 * shopper's update moves (the position weights, the history exponent, the repeat, description,
 * price and flag weights, the category affinities, the store embeddings). Federated jobs step them
 * more slowly than the item rows (`serverLearningRateScales`, server/rounds/learning-rate-scales.ts).
 */
export const sharedParameterNames = ['positionWeight', 'historyExponent', 'repeatWeight', 'descriptionWeight', 'categoryAffinity', 'priceFit', 'promotion', 'novelty', 'storeEmbedding'] as const satisfies readonly ParameterName[];

/** The parameters in their serialisation order. */
export function parameterShapes(shape: ModelShape): { name: ParameterName; shape: number[] }[] {
  return [
    { name: 'itemBias', shape: [shape.items] },
    { name: 'itemHistory', shape: [shape.items, shape.embeddingDim] },
    { name: 'itemCandidate', shape: [shape.items, shape.embeddingDim] },
    { name: 'itemNext', shape: [shape.items, shape.embeddingDim] },
    { name: 'positionWeight', shape: [shape.historyLength] },
    { name: 'historyExponent', shape: [1] },
    { name: 'repeatWeight', shape: [1] },
    { name: 'categoryAffinity', shape: [shape.categories] },
    { name: 'priceFit', shape: [1] },
    { name: 'promotion', shape: [1] },
    { name: 'novelty', shape: [1] },
    { name: 'storeEmbedding', shape: [shape.stores, shape.storeDim] },
    { name: 'itemStore', shape: [shape.items, shape.storeDim] },
    // Last, so the layout of every earlier parameter is what it was before the term existed.
    { name: 'descriptionWeight', shape: [1] },
  ];
}
