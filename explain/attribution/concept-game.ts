/**
 * The cooperative game an item's score defines (Shapley 1953): the players are the concepts of
 * `concept-players.ts`, and the value of a coalition S is the model's score with every concept
 * outside S replaced by its baseline input, v(S) = `ConceptScorer.scoreMasked`. v(∅) is the item's
 * own baseline (its global appeal) and v(all) is its score, so attributions φ with the efficiency
 * property satisfy score = baseline + Σ φ.
 */
import type { ConceptMask, ConceptScorer, ModelWeights, PreparedContext, ShopperContext } from '../../models/index.ts';
import { conceptPlayers, type ConceptPlayer } from './concept-players.ts';

export interface ConceptGame {
  scorer: ConceptScorer;
  /** The scorer's weights: explainers that read the model's parameters (IG) need them. */
  weights: ModelWeights;
  context: ShopperContext;
  /** `scorer.prepare(context)`, shared by every item of a request. */
  prepared: PreparedContext;
  /** The explained item's model index. */
  item: number;
  players: readonly ConceptPlayer[];
}

/**
 * @example const game = conceptGame(scorer, weights, { history: [3, 7], store: 0 }, 12);
 */
export function conceptGame(
  scorer: ConceptScorer,
  weights: ModelWeights,
  context: ShopperContext,
  item: number,
  prepared: PreparedContext = scorer.prepare(context),
  players: readonly ConceptPlayer[] = conceptPlayers(prepared.history),
): ConceptGame {
  if (!(item >= 0 && item < scorer.shape.items)) throw new Error(`conceptGame: item ${item} is outside the model's ${scorer.shape.items} items`);
  return { scorer, weights, context, prepared, item, players };
}

/**
 * v(S): the score with only the players for which `member(p)` holds present, recomputed from the
 * masked inputs (never by summing closed-form terms, so it can check them).
 * @example coalitionValue(game, () => false) // v(∅), the item's baseline
 */
export function coalitionValue(game: ConceptGame, member: (player: number) => boolean): number {
  const mask: ConceptMask = { purchases: new Set(), categoryAffinity: false, priceFit: false, promotion: false, novelty: false, storePopularity: false };
  const purchases = mask.purchases as Set<number>;
  game.players.forEach((player, p) => {
    if (!member(p)) return;
    switch (player.kind) {
      case 'purchase':
        for (const position of player.positions) purchases.add(position);
        break;
      case 'category-affinity':
        mask.categoryAffinity = true;
        break;
      case 'price-fit':
        mask.priceFit = true;
        break;
      case 'promotion':
        mask.promotion = true;
        break;
      case 'novelty':
        mask.novelty = true;
        break;
      case 'store-popularity':
        mask.storePopularity = true;
        break;
    }
  });
  return game.scorer.scoreMasked(game.context, game.item, mask);
}
