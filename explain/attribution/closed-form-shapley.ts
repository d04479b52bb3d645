/**
 * Exact Shapley values in O(players) from the model's own additive split (`ConceptScorer.conceptTerms`).
 *
 * Why this is exact: the game of `concept-game.ts` is additive, v(S) = v(∅) + Σ_{i∈S} a_i, because
 * each concept contributes its own term and the request fixes everything the terms share (the history
 * normaliser |H|^γ, the category mass and the mean price are computed from the whole request, not
 * from the coalition; see `scoreMasked`; the latest-purchase term belongs to that purchase's player). Every marginal contribution v(S ∪ {i}) − v(S) is then a_i, so the
 * Shapley value φ_i = Σ_S |S|!(n−|S|−1)!/n! · a_i = a_i (Shapley 1953). This is the additive-model
 * case of SHAP (Lundberg & Lee 2017, Sec. 4.1, "linear SHAP"), with "concept absent" as the reference
 * input instead of an expectation. `brute-force-shapley.ts` checks the claim on random models.
 */
import type { ConceptGame } from './concept-game.ts';
import type { Attribution, Explainer } from './explainer.ts';

export class ClosedFormShapley implements Explainer {
  readonly method = 'exact-shapley' as const;

  explain(game: ConceptGame): Attribution {
    const terms = game.scorer.conceptTerms(game.prepared, game.item);
    const contributions = new Float64Array(game.players.length);
    game.players.forEach((player, p) => {
      switch (player.kind) {
        case 'purchase': {
          // A merged player (an item bought several times) is the sum of its positions' terms: exact in an additive game.
          let sum = 0;
          for (const position of player.positions) sum += terms.purchases[position].contribution;
          contributions[p] = sum;
          break;
        }
        case 'category-affinity':
          contributions[p] = terms.categoryAffinity;
          break;
        case 'price-fit':
          contributions[p] = terms.priceFit;
          break;
        case 'promotion':
          contributions[p] = terms.promotion;
          break;
        case 'novelty':
          contributions[p] = terms.novelty;
          break;
        case 'store-popularity':
          contributions[p] = terms.storePopularity;
          break;
      }
    });
    return { method: this.method, baseline: terms.baseline, contributions, completenessError: 0 };
  }
}
