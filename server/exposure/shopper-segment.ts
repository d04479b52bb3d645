/**
 * The coarse segment a request is counted under in the merchant view. It is derived from the
 * request alone and identifies no one: consent, and how much history the model read, in bands.
 */
export const shopperSegments = ['non-personalized', 'new', 'occasional', 'regular'] as const;

export type ShopperSegment = (typeof shopperSegments)[number];

/**
 * Band edges are a product choice: a shopper the model knows nothing about is "new"; the synthetic
 * world's shoppers make about 14 purchases (`generate-world.ts`), so up to 5 read purchases is an
 * "occasional" shopper and more is "regular" (the model reads at most `historyLength` = 20).
 */
const occasionalUpTo = 5;

/** @example shopperSegment(true, 3) // 'occasional' */
export function shopperSegment(personalized: boolean, historyRead: number): ShopperSegment {
  if (!personalized) return 'non-personalized';
  if (historyRead === 0) return 'new';
  return historyRead <= occasionalUpTo ? 'occasional' : 'regular';
}
