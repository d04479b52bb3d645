/**
 * A continuous version F(z) of the concept game, z ∈ [0, 1]^players, for gradient-based attribution
 * (Integrated Gradients). A player's input z scales how much of it the model sees:
 *
 *   F(z) = itemBias
 *        + Σ_j z_{g(j)} t_j(i)                                            purchases (g(j): the player of position j;
 *                                                                          t_j the scorer's purchaseTerm)
 *        + z_cat · categoryAffinity[c_i] · M_{c_i}                        M from the whole request, as in scoreMasked
 *        − z_price · softplus(priceFit) · (log p_i − μ(z))²,  μ(z) = Σ_j z_{g(j)} ω_j log p_{h_j} / Σ_j z_{g(j)} ω_j
 *        + z_promo · promotion · promo_i + z_new · novelty · new_i + z_store · (s · g_i)
 *
 * At z = 1 this is the score and at z = 0 the baseline, exactly as v(all) and v(∅). In between, the
 * price profile μ follows the purchases that are "present": the shopper's usual price is a ratio of
 * sums over their purchases, so price fit is the one term that is non-linear in the history. That is
 * where IG departs from the Shapley values of `concept-game.ts` (whose v(S) keeps μ at the whole
 * request): IG moves part of the price-fit effect onto the purchases, in amounts that sum to zero.
 */
import { softplus } from '../../models/recommender/activations.ts';
import { parameterView } from '../../models/weights/model-weights.ts';
import type { ConceptGame } from './concept-game.ts';

export interface RelaxedConceptModel {
  value(z: ArrayLike<number>): number;
  /** ∂F/∂z into `out` (length = players). */
  gradient(z: ArrayLike<number>, out: Float64Array): Float64Array;
}

/**
 * @example const F = relaxedConceptModel(game); F.value(new Float64Array(game.players.length).fill(1)) // the score
 */
export function relaxedConceptModel(game: ConceptGame): RelaxedConceptModel {
  const { scorer, weights, prepared, item, players } = game;
  const ds = scorer.shape.storeDim;
  const features = scorer.features;
  const view = (name: string) => parameterView(weights, name);
  const [storeEmbedding, itemStore] = ['storeEmbedding', 'itemStore'].map(view);

  const n = prepared.history.length;
  const playerOf = new Int32Array(n);
  const kindPlayer = new Map<string, number>();
  players.forEach((player, p) => {
    if (player.kind === 'purchase') for (const position of player.positions) playerOf[position] = p;
    else kindPlayer.set(player.kind, p);
  });
  const [categoryPlayer, pricePlayer, promotionPlayer, noveltyPlayer, storePlayer] = (['category-affinity', 'price-fit', 'promotion', 'novelty', 'store-popularity'] as const).map(
    (kind) => kindPlayer.get(kind) ?? -1,
  );
  // Each term's value at full presence; F scales them by their player's z.
  const purchaseTerm = new Float64Array(n);
  const logPrice = new Float64Array(n);
  prepared.history.forEach((h, j) => {
    purchaseTerm[j] = scorer.purchaseTerm(prepared, j, item);
    logPrice[j] = features.logPrice[h];
  });
  const category = features.category[item];
  const categoryTerm = view('categoryAffinity')[category] * prepared.categoryMass[category];
  const promotionTerm = view('promotion')[0] * features.promotion[item];
  const noveltyTerm = view('novelty')[0] * features.novelty[item];
  let storeTerm = 0;
  if (prepared.store >= 0) for (let k = 0; k < ds; k++) storeTerm += storeEmbedding[prepared.store * ds + k] * itemStore[item * ds + k];
  const priceWeight = softplus(view('priceFit')[0]);
  const itemLogPrice = features.logPrice[item];
  const bias = view('itemBias')[item];
  const at = (z: ArrayLike<number>, p: number): number => (p < 0 ? 0 : z[p]);

  /** Σ z ω and Σ z ω log p over the history: the price profile's denominator and numerator. */
  const priceSums = (z: ArrayLike<number>): { mass: number; weighted: number } => {
    let mass = 0;
    let weighted = 0;
    for (let j = 0; j < n; j++) {
      const w = z[playerOf[j]] * prepared.weights[j];
      mass += w;
      weighted += w * logPrice[j];
    }
    return { mass, weighted };
  };

  return {
    value(z) {
      let score = bias + at(z, categoryPlayer) * categoryTerm + at(z, promotionPlayer) * promotionTerm;
      score += at(z, noveltyPlayer) * noveltyTerm + at(z, storePlayer) * storeTerm;
      for (let j = 0; j < n; j++) score += z[playerOf[j]] * purchaseTerm[j];
      const { mass, weighted } = priceSums(z);
      // No purchase present: no price profile, so no price-fit term (as with an empty history).
      if (mass > 0) score -= at(z, pricePlayer) * priceWeight * (itemLogPrice - weighted / mass) ** 2;
      return score;
    },
    gradient(z, out) {
      out.fill(0);
      if (categoryPlayer >= 0) out[categoryPlayer] = categoryTerm;
      if (promotionPlayer >= 0) out[promotionPlayer] = promotionTerm;
      if (noveltyPlayer >= 0) out[noveltyPlayer] = noveltyTerm;
      if (storePlayer >= 0) out[storePlayer] = storeTerm;
      for (let j = 0; j < n; j++) out[playerOf[j]] += purchaseTerm[j];
      const { mass, weighted } = priceSums(z);
      if (mass > 0 && pricePlayer >= 0) {
        const mean = weighted / mass;
        const gap = itemLogPrice - mean;
        out[pricePlayer] += -priceWeight * gap * gap;
        // ∂/∂z_g of −a z_price (log p_i − μ)² = 2 a z_price (log p_i − μ) ∂μ/∂z_g, ∂μ/∂z_g = Σ_{j∈g} ω_j (log p_j − μ) / Σ z ω.
        const scale = (2 * priceWeight * z[pricePlayer] * gap) / mass;
        for (let j = 0; j < n; j++) out[playerOf[j]] += scale * prepared.weights[j] * (logPrice[j] - mean);
      }
      return out;
    },
  };
}
