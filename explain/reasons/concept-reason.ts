/**
 * Names one attributed concept as a reason code with parameters: which code depends on the concept
 * and on the sign of its contribution (a past purchase that lifts the item is `bought-with`, one that
 * holds it back is `unlike-purchase`). Only the request's own history and the public catalogue are
 * read, so a reason can never reveal another shopper.
 */
import type { ConceptKind, ConceptPlayer } from '../attribution/concept-players.ts';
import { reason, type Reason } from './reason-codes.ts';

/** What a reason may name, looked up by model index. */
export interface ReasonVocabulary {
  itemId(item: number): string;
  itemName(item: number): string;
  itemCategory(item: number): string;
  itemPrice(item: number): number;
  storeId(store: number): string;
}

export interface ReasonSubject {
  /** The recommended item's model index. */
  item: number;
  /** The shopper's store index (−1 unknown). */
  store: number;
  /** Weighted mean log price of the request's history (undefined for an empty history). */
  meanLogPrice: number | undefined;
}

/**
 * Prices within a fifth of the shopper's usual price read as "close"; a product choice, not a
 * measured constant (the model's own penalty is continuous in the log price gap).
 */
const closePriceRatio = 1.2;

const cents = (value: number): number => Math.round(value * 100) / 100;

/**
 * @example conceptReason({ kind: 'promotion' }, 0.3, subject, vocabulary) // { code: 'on-promotion', params: {} }
 */
export function conceptReason(player: ConceptPlayer, contribution: number, subject: ReasonSubject, vocabulary: ReasonVocabulary): Reason {
  const lifts = contribution >= 0;
  switch (player.kind) {
    case 'purchase': {
      const params = { itemId: vocabulary.itemId(player.item), name: vocabulary.itemName(player.item) };
      if (player.item === subject.item) return reason(lifts ? 'bought-before' : 'bought-recently', params);
      return reason(lifts ? 'bought-with' : 'unlike-purchase', params);
    }
    case 'category-affinity':
      return reason(lifts ? 'category-affinity' : 'category-saturated', { category: vocabulary.itemCategory(subject.item) });
    case 'price-fit': {
      const price = vocabulary.itemPrice(subject.item);
      const usualPrice = subject.meanLogPrice === undefined ? price : Math.exp(subject.meanLogPrice);
      const params = { price: cents(price), usualPrice: cents(usualPrice) };
      if (price > usualPrice * closePriceRatio) return reason('price-above-usual', params);
      if (price * closePriceRatio < usualPrice) return reason('price-below-usual', params);
      return reason('price-fit', params);
    }
    case 'promotion':
      return reason(lifts ? 'on-promotion' : 'promotion-no-lift', {});
    case 'novelty':
      return reason(lifts ? 'new-arrival' : 'new-unproven', {});
    case 'store-popularity':
      return reason(lifts ? 'store-trend' : 'store-unpopular', { storeId: vocabulary.storeId(subject.store) });
  }
}

/**
 * A stable name for the concept a player stands for: `purchase:<itemId>` for a past purchase, else
 * its kind. The part before ':' is the concept kind the merchant view aggregates by.
 * @example conceptName({ kind: 'purchase', item: 4, positions: [0] }, vocabulary) // 'purchase:i00004'
 */
export function conceptName(player: ConceptPlayer, vocabulary: ReasonVocabulary): string {
  return player.kind === 'purchase' ? `purchase:${vocabulary.itemId(player.item)}` : player.kind;
}

/** The concept name of past purchases merged into one attribution (see `item-explanation.ts`). */
export const otherPurchasesConcept = 'other-purchases';

/**
 * The kind of a concept name: `purchase:<itemId>` and the merged other purchases are purchases.
 * @example conceptKindOf('purchase:i00004') // 'purchase'
 */
export function conceptKindOf(concept: string): ConceptKind {
  return concept.startsWith('purchase:') || concept === otherPurchasesConcept ? 'purchase' : (concept as ConceptKind);
}
