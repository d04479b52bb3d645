/**
 * One interface, several implementations, one contract suite (`explainer-contract.ts`): the closed
 * form serves requests, brute-force enumeration and Integrated Gradients hold it to account.
 */
import type { ConceptGame } from './concept-game.ts';

export type ExplainerMethod = 'exact-shapley' | 'brute-force-shapley' | 'integrated-gradients';

export interface Attribution {
  method: ExplainerMethod;
  /** v(∅): the score with every concept at its baseline input (the item's global appeal). */
  baseline: number;
  /** One value per player of the game, in `game.players` order. */
  contributions: Float64Array;
  /**
   * |baseline + Σ contributions − score| as the method itself can tell: 0 for the closed form
   * (exact by construction), float round-off for enumeration, the quadrature error for IG.
   */
  completenessError: number;
}

export interface Explainer {
  readonly method: ExplainerMethod;
  explain(game: ConceptGame): Attribution;
}
