/**
 * Every sentence and phrase fedrec says about a recommendation, in one place (as zod keeps its
 * messages in locale files), so wording is reviewed, translated and tested here alone.
 * `phrase` labels one attribution ("You bought Organic Oats 1kg"); `clause` is its part of the
 * sentence after "Because" ("you bought Organic Oats 1kg"); `merchant` names the reason in the
 * merchant view, which sums over shoppers and so takes no parameters ("price above the shopper's
 * usual range"). The mapped type makes a code without a template a compile error;
 * `reason-templates.test.ts` checks the same at run time.
 */
import type { NonPersonalizedCode, Reason, ReasonCode, ReasonParams } from './reason-codes.ts';

interface Template<C extends ReasonCode> {
  phrase: (params: ReasonParams<C>) => string;
  clause: (params: ReasonParams<C>) => string;
  merchant: string;
}

const money = (value: number): string => value.toFixed(2);

export const reasonTemplates: { [C in ReasonCode]: Template<C> } = {
  'bought-before': { phrase: () => 'You have bought it before', clause: () => 'you have bought it before', merchant: 'the shopper having bought it before' },
  'bought-recently': { phrase: () => 'You bought it recently', clause: () => 'you bought it recently', merchant: 'the shopper having bought it recently' },
  'bought-with': { phrase: (p) => `You bought ${p.name}`, clause: (p) => `you bought ${p.name}`, merchant: 'a past purchase it goes with' },
  'unlike-purchase': {
    phrase: (p) => `Less like ${p.name}, which you bought`,
    clause: (p) => `it is less like ${p.name}, which you bought`,
    merchant: 'a past purchase it is unlike',
  },
  'other-purchases': { phrase: () => 'Your other purchases, together', clause: () => 'your other purchases together', merchant: 'the shopper’s other purchases, together' },
  'category-affinity': { phrase: (p) => `You often shop in ${p.category}`, clause: (p) => `you often shop in ${p.category}`, merchant: 'the shopper’s liking for its category' },
  'category-saturated': {
    phrase: (p) => `You already buy plenty in ${p.category}`,
    clause: (p) => `you already buy plenty in ${p.category}`,
    merchant: 'the shopper already buying plenty in its category',
  },
  'price-fit': {
    phrase: (p) => `Priced close to what you usually pay (${money(p.price)} against about ${money(p.usualPrice)})`,
    clause: () => 'it is priced close to what you usually pay',
    merchant: 'price close to, but not at, the shopper’s usual range',
  },
  'price-above-usual': {
    phrase: (p) => `Costs more than you usually pay (${money(p.price)} against about ${money(p.usualPrice)})`,
    clause: () => 'it costs more than you usually pay',
    merchant: 'price above the shopper’s usual range',
  },
  'price-below-usual': {
    phrase: (p) => `Costs less than you usually pay (${money(p.price)} against about ${money(p.usualPrice)})`,
    clause: () => 'it costs less than you usually pay',
    merchant: 'price below the shopper’s usual range',
  },
  'on-promotion': { phrase: () => 'On promotion at your store', clause: () => 'it is on promotion at your store', merchant: 'its promotion' },
  'promotion-no-lift': { phrase: () => 'On promotion, which rarely sways this choice', clause: () => 'its promotion rarely sways this choice', merchant: 'a promotion that rarely sways this choice' },
  'new-arrival': { phrase: () => 'New in store', clause: () => 'it is new in store', merchant: 'being new in store' },
  'new-unproven': { phrase: () => 'New, and not yet established', clause: () => 'it is new and not yet established', merchant: 'being new and not yet established' },
  'store-trend': { phrase: () => 'Popular at your store', clause: () => 'it is popular at your store', merchant: 'its popularity at the shopper’s store' },
  'store-unpopular': { phrase: () => 'Less popular at your store', clause: () => 'it is less popular at your store', merchant: 'low popularity at the shopper’s store' },
  'non-personalized': { phrase: () => 'Not personalised: you have not opted in', clause: () => 'personalisation is off', merchant: 'no personalisation (the shopper has not opted in)' },
  'opted-out': { phrase: () => 'Not personalised: you turned personalisation off', clause: () => 'you turned personalisation off', merchant: 'no personalisation (the shopper turned it off)' },
  'do-not-target': { phrase: () => 'Not personalised: you asked not to be targeted', clause: () => 'you asked not to be targeted', merchant: 'no personalisation (the shopper asked not to be targeted)' },
  'global-privacy-control': {
    phrase: () => 'Not personalised: your browser sent the Global Privacy Control signal',
    clause: () => 'your browser sent the Global Privacy Control signal',
    merchant: 'no personalisation (the shopper’s browser sent Global Privacy Control)',
  },
  'consent-never-asked': {
    phrase: () => 'Not personalised: you have not been asked, and it is off until you opt in',
    clause: () => 'you have not been asked, and personalisation is off until you opt in',
    merchant: 'no personalisation (the shopper was never asked, so it is off)',
  },
  holdout: {
    phrase: () => 'Not personalised: you are in a small comparison group that sees the store’s standard picks',
    clause: () => 'you are in a small comparison group that sees the store’s standard picks, so we can check that personalisation helps',
    merchant: 'no personalisation (the shopper is in the holdout group)',
  },
  'model-withdrawn': {
    phrase: () => 'Not personalised: the recommendation model was switched off',
    clause: () => 'the recommendation model was switched off',
    merchant: 'no approved model serving (the store ranking)',
  },
};

/** "A", "A and B", "A, B and C". */
const listAnd = (parts: readonly string[]): string =>
  parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;

/**
 * Clauses joined with commas and a final ", and": a clause can itself contain "and" ("you bought A
 * and B, and it is on promotion at your store"), so the serial comma keeps the two apart.
 */
const joinClauses = (clauses: readonly string[]): string =>
  clauses.length <= 1 ? (clauses[0] ?? '') : `${clauses.slice(0, -1).join(', ')}, and ${clauses[clauses.length - 1]}`;

/** The sentence around the clauses, for 0, 1, 2 or 3 clauses. */
export const sentenceTemplates = {
  purchases: (names: readonly string[]): string => `you bought ${listAnd(names)}`,
  because: (clauses: readonly string[]): string => `Because ${joinClauses(clauses)}.`,
  /** No positive reason: the item's own appeal (its baseline) carried it. */
  neutral: (): string => 'A popular choice across our stores.',
  /** The merchant view's line for what most often holds an item back. */
  heldBackBy: (code: ReasonCode): string => `Held back by: ${reasonTemplates[code].merchant}.`,
  /** No approved model serves (a kill left none): the store ranking of `server/serving/store-ranking.ts`. */
  modelWithdrawn: (clauses: readonly string[]): string =>
    clauses.length === 0
      ? `Not personalised: ${reasonTemplates['model-withdrawn'].clause({})}, so this comes from the store’s catalogue.`
      : `Not personalised: ${reasonTemplates['model-withdrawn'].clause({})}, so this comes from the store’s catalogue, shown because ${joinClauses(clauses)}.`,
  nonPersonalized: (clauses: readonly string[], because: NonPersonalizedCode = 'non-personalized'): string => {
    const why = because === 'non-personalized' ? 'as you have not opted in' : `as ${reasonTemplates[because].clause({})}`;
    return clauses.length === 0 ? `Not personalised, ${why}: a popular choice across our stores.` : `Not personalised, ${why}: shown because ${joinClauses(clauses)}.`;
  },
};

/** @example renderPhrase({ code: 'store-trend', params: { storeId: 's1' } }) // 'Popular at your store' */
export function renderPhrase(reason: Reason): string {
  return (reasonTemplates[reason.code].phrase as (params: Reason['params']) => string)(reason.params);
}

/** @example renderClause({ code: 'new-arrival', params: {} }) // 'it is new in store' */
export function renderClause(reason: Reason): string {
  return (reasonTemplates[reason.code].clause as (params: Reason['params']) => string)(reason.params);
}
