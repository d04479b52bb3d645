/**
 * The coarse segment a request is counted under in the merchant view. It is derived from the
 * request alone and identifies no one: consent, and how much history the model read, in bands.
 * The bands are the protocol's (`protocol/rounds/history-band.ts`), shared with the store clients'
 * per-segment federated evaluation.
 */
import { historyBand } from '../../protocol/index.ts';

export const shopperSegments = ['non-personalized', 'new', 'occasional', 'regular'] as const;

export type ShopperSegment = (typeof shopperSegments)[number];

/** @example shopperSegment(true, 3) // 'occasional' */
export function shopperSegment(personalized: boolean, historyRead: number): ShopperSegment {
  if (!personalized) return 'non-personalized';
  return historyBand(historyRead);
}
