/**
 * The players of the attribution game: the human concepts a score is built from (see the formula in
 * `models/recommender/model-shape.ts`). Every distinct past purchase is one player, so "because you
 * bought X" names one product even when the shopper bought it several times; every other concept
 * (category affinity, price fit, promotion, novelty, popularity at the store) is one player each.
 *
 * Merging the repeated purchases of one item into a single player keeps the attributions exact only
 * because our game is additive: v(S) = v(∅) + Σ_{i∈S} a_i (each concept adds its own term and no term
 * reads another concept's presence). In an additive game a merged player's Shapley value is the sum
 * of its parts' values (Shapley 1953, additivity and dummy axioms); in a game with interactions it
 * would not be (the merged player would need the Owen value instead), and this split would be wrong.
 */

/** The kinds of concept a score is explained by, in the order attributions are listed. */
export const conceptKinds = ['purchase', 'category-affinity', 'price-fit', 'promotion', 'novelty', 'store-popularity'] as const;

export type ConceptKind = (typeof conceptKinds)[number];

export type ConceptPlayer =
  | {
      kind: 'purchase';
      /** The purchased item's model index. */
      item: number;
      /** Positions in the (truncated) history that hold this item, oldest first. */
      positions: readonly number[];
    }
  | { kind: Exclude<ConceptKind, 'purchase'> };

const otherConcepts: ConceptPlayer[] = conceptKinds.filter((k) => k !== 'purchase').map((kind) => ({ kind }) as ConceptPlayer);

/**
 * The players for a history (item indices, oldest first, already truncated to what the model reads):
 * distinct purchases first, in order of their most recent purchase (newest first), then the fixed
 * concepts.
 * @example conceptPlayers([4, 9, 4]) // purchase 4 (positions 0 and 2), purchase 9, category-affinity, …
 */
export function conceptPlayers(history: readonly number[]): ConceptPlayer[] {
  // Scanning newest first meets the items in the order of their most recent purchase.
  const positionsByItem = new Map<number, number[]>();
  const players: ConceptPlayer[] = [];
  for (let position = history.length - 1; position >= 0; position--) {
    const item = history[position];
    let positions = positionsByItem.get(item);
    if (!positions) {
      positionsByItem.set(item, (positions = []));
      players.push({ kind: 'purchase', item, positions });
    }
    positions.push(position);
  }
  for (const positions of positionsByItem.values()) positions.reverse();
  for (const player of otherConcepts) players.push(player);
  return players;
}
