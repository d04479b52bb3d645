/**
 * ItemKNN with cosine similarity (Sarwar et al. 2001; Deshpande & Karypis 2004): items are vectors
 * of the shoppers who bought them (binary), sim(i, j) = |U_i ∩ U_j| / √(|U_i| |U_j|), and a
 * candidate scores the sum of its similarities to the distinct items of the history. The
 * `neighbours` most similar items of each item are kept (Deshpande & Karypis' k), the rest is 0.
 * Unlike raw co-occurrence, cosine discounts items that everyone buys.
 */
import type { Shopper } from '../data/retail-world.ts';
import { topK } from '../recommender/top-k.ts';
import type { Ranker, RankingQuery } from './ranker.ts';

export interface ItemKnnOptions {
  /** Neighbours kept per item; default 100. */
  neighbours?: number;
}

/** @example evaluateRanker(itemKnn(split.train, world.catalog.length), split.validation) */
export function itemKnn(train: readonly Shopper[], itemCount: number, options: ItemKnnOptions = {}): Ranker {
  const neighbours = Math.min(options.neighbours ?? 100, itemCount);
  const overlap = new Float32Array(itemCount * itemCount);
  const buyers = new Float64Array(itemCount);
  for (const s of train) {
    const items = [...new Set(s.items)];
    for (const i of items) buyers[i]++;
    for (let p = 0; p < items.length; p++) {
      for (let q = p + 1; q < items.length; q++) {
        overlap[items[p] * itemCount + items[q]]++;
        overlap[items[q] * itemCount + items[p]]++;
      }
    }
  }
  // Each item's row becomes its top neighbours by cosine, stored sparse.
  const neighbourIds: Int32Array[] = [];
  const neighbourSims: Float32Array[] = [];
  const row = new Float64Array(itemCount);
  for (let i = 0; i < itemCount; i++) {
    for (let j = 0; j < itemCount; j++) row[j] = i === j || buyers[i] === 0 || buyers[j] === 0 ? 0 : overlap[i * itemCount + j] / Math.sqrt(buyers[i] * buyers[j]);
    const best = topK(row, neighbours).filter((j) => row[j] > 0);
    neighbourIds.push(Int32Array.from(best));
    neighbourSims.push(Float32Array.from(best, (j) => row[j]));
  }
  // Ties (no similar item) fall back to popularity, scaled below any similarity (cosine ≥ 1/buyers_max).
  const tieBreak = 1e-6 / (Math.max(...buyers) + 1);
  const scores = new Float64Array(itemCount);
  return {
    name: 'ItemKNN (cosine)',
    rank(q: RankingQuery, k: number): number[] {
      for (let i = 0; i < itemCount; i++) scores[i] = tieBreak * buyers[i];
      for (const h of new Set(q.history)) {
        const ids = neighbourIds[h];
        const sims = neighbourSims[h];
        for (let n = 0; n < ids.length; n++) scores[ids[n]] += sims[n];
      }
      return topK(scores, k);
    },
  };
}
