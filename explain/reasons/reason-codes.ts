/**
 * Why an item is shown, as data (zod's issues are the model): a closed list of reason codes, each
 * with typed parameters. Sentences are rendered from `reason-templates.ts`, never built here, in the
 * model or in a route. Parameters name only the request's own history and the public catalogue:
 * no other shopper, no counts.
 */
import type { ConceptKind } from '../attribution/concept-players.ts';

/** Every reason code, in the order they are documented. Adding one fails to compile until it has params, polarity and templates. */
export const reasonCodes = [
  'bought-before',
  'bought-recently',
  'bought-with',
  'unlike-purchase',
  'other-purchases',
  'category-affinity',
  'category-saturated',
  'price-fit',
  'price-above-usual',
  'price-below-usual',
  'on-promotion',
  'promotion-no-lift',
  'new-arrival',
  'new-unproven',
  'store-trend',
  'store-unpopular',
  'non-personalized',
  'opted-out',
  'do-not-target',
  'global-privacy-control',
  'consent-never-asked',
  'holdout',
  'model-withdrawn',
] as const;

export type ReasonCode = (typeof reasonCodes)[number];

/**
 * Why a response is not personalised, most binding first: the request's own flag off
 * (`non-personalized`), or a shopper's stored choice (`server/shoppers/serving-choices.ts`): opted
 * out, do-not-target, the browser's Global Privacy Control signal, or never asked (opt-in); or the
 * shopper is in the holdout group that measures personalisation (`server/measurement/`).
 */
export type NonPersonalizedCode = 'non-personalized' | 'opted-out' | 'do-not-target' | 'global-privacy-control' | 'consent-never-asked' | 'holdout';

// Type aliases rather than interfaces, so params are assignable to a plain record on the wire.
type PurchaseParams = {
  /** The past purchase, by catalogue id and name. */
  itemId: string;
  name: string;
};
type PriceParams = {
  /** The item's catalogue price, and the weighted geometric mean price of the request's history. */
  price: number;
  usualPrice: number;
};
type NoParams = Record<string, never>;

export type ReasonParamsByCode = {
  'bought-before': PurchaseParams;
  'bought-recently': PurchaseParams;
  'bought-with': PurchaseParams;
  'unlike-purchase': PurchaseParams;
  'other-purchases': NoParams;
  'category-affinity': { category: string };
  'category-saturated': { category: string };
  'price-fit': PriceParams;
  'price-above-usual': PriceParams;
  'price-below-usual': PriceParams;
  'on-promotion': NoParams;
  'promotion-no-lift': NoParams;
  'new-arrival': NoParams;
  'new-unproven': NoParams;
  'store-trend': { storeId: string };
  'store-unpopular': { storeId: string };
  'non-personalized': NoParams;
  'opted-out': NoParams;
  'do-not-target': NoParams;
  'global-privacy-control': NoParams;
  'consent-never-asked': NoParams;
  /** The shopper is in the holdout group (`server/measurement/holdout-assignment.ts`). */
  holdout: NoParams;
  /** No approved model serves (a kill left none): the store ranking, see `server/serving/store-ranking.ts`. */
  'model-withdrawn': NoParams;
};

export type ReasonParams<C extends ReasonCode> = ReasonParamsByCode[C];

/** One reason: a code and its parameters, discriminated by code. */
export type Reason = { [C in ReasonCode]: { code: C; params: ReasonParams<C> } }[ReasonCode];

/**
 * Which way a code pushes the score. The model's price term is a penalty (it is ≤ 0, see
 * `model-shape.ts`), so every price code holds an item back; `price-fit` marks a small penalty.
 */
export const reasonPolarity = {
  'bought-before': 'positive',
  'bought-recently': 'negative',
  'bought-with': 'positive',
  'unlike-purchase': 'negative',
  'other-purchases': 'neutral',
  'category-affinity': 'positive',
  'category-saturated': 'negative',
  'price-fit': 'negative',
  'price-above-usual': 'negative',
  'price-below-usual': 'negative',
  'on-promotion': 'positive',
  'promotion-no-lift': 'negative',
  'new-arrival': 'positive',
  'new-unproven': 'negative',
  'store-trend': 'positive',
  'store-unpopular': 'negative',
  'non-personalized': 'neutral',
  'opted-out': 'neutral',
  'do-not-target': 'neutral',
  'global-privacy-control': 'neutral',
  'consent-never-asked': 'neutral',
  holdout: 'neutral',
  'model-withdrawn': 'neutral',
} as const satisfies Record<ReasonCode, 'positive' | 'negative' | 'neutral'>;

/**
 * The concept kind each code speaks for (`non-personalized` and `model-withdrawn` speak for none): the merchant view
 * counts reasons by code and sums them into concepts with this.
 */
export const reasonConcept = {
  'bought-before': 'purchase',
  'bought-recently': 'purchase',
  'bought-with': 'purchase',
  'unlike-purchase': 'purchase',
  'other-purchases': 'purchase',
  'category-affinity': 'category-affinity',
  'category-saturated': 'category-affinity',
  'price-fit': 'price-fit',
  'price-above-usual': 'price-fit',
  'price-below-usual': 'price-fit',
  'on-promotion': 'promotion',
  'promotion-no-lift': 'promotion',
  'new-arrival': 'novelty',
  'new-unproven': 'novelty',
  'store-trend': 'store-popularity',
  'store-unpopular': 'store-popularity',
  'non-personalized': null,
  'opted-out': null,
  'do-not-target': null,
  'global-privacy-control': null,
  'consent-never-asked': null,
  holdout: null,
  'model-withdrawn': null,
} as const satisfies Record<ReasonCode, ConceptKind | null>;

/** Builds a typed reason. @example reason('store-trend', { storeId: 'store-01' }) */
export function reason<C extends ReasonCode>(code: C, params: ReasonParams<C>): Reason {
  return { code, params } as Reason;
}
