/**
 * The history band of a personalised shopper: how many past purchases the model read, in three
 * coarse bands. One rule for both sides of the federation: the merchant view counts served
 * requests under it (`server/exposure/shopper-segment.ts`) and a store client splits its federated
 * evaluation sums by it (`client-sim/store-client/compute-round-update.ts`), so recall@10 "by
 * segment" means the same segments the merchant view shows. It lives in `protocol/` because the
 * store client never imports server code.
 */
export const historyBands = ['new', 'occasional', 'regular'] as const;

export type HistoryBand = (typeof historyBands)[number];

/**
 * Band edges are a product choice: a shopper the model knows nothing about is "new"; the synthetic
 * world's shoppers make about 14 purchases (`generate-world.ts`), so up to 5 read purchases is an
 * "occasional" shopper and more is "regular" (the model reads at most `historyLength` = 20).
 */
const occasionalUpTo = 5;

/** @example historyBand(3) // 'occasional' */
export function historyBand(historyRead: number): HistoryBand {
  if (historyRead === 0) return 'new';
  return historyRead <= occasionalUpTo ? 'occasional' : 'regular';
}
