/**
 * The baselines every model is judged against, fitted on the same training purchases:
 * global popularity, popularity at the shopper's store, and item-to-item co-occurrence
 * (Sarwar et al. 2001 style, counts of two purchases by the same shopper, with repeat purchases
 * counted as self-co-occurrence so the baseline can recommend re-buys too).
 */
import type { Shopper } from '../data/retail-world.ts';
import type { Ranker, RankingQuery } from './ranker.ts';
import { topK } from '../recommender/top-k.ts';

export function globalPopularity(train: readonly Shopper[], itemCount: number): Ranker {
  const counts = new Float64Array(itemCount);
  for (const s of train) for (const i of s.items) counts[i]++;
  const ranking = topK(counts, itemCount);
  return { name: 'popularity (global)', rank: (_q, k) => ranking.slice(0, k) };
}

export function storePopularity(train: readonly Shopper[], itemCount: number, storeCount: number): Ranker {
  const global = new Float64Array(itemCount);
  const perStore = Array.from({ length: storeCount }, () => new Float64Array(itemCount));
  for (const s of train) {
    for (const i of s.items) {
      perStore[s.store][i]++;
      global[i]++;
    }
  }
  // Ties (items a store never sold) fall back to global popularity, scaled below one local sale.
  const scale = 0.5 / (Math.max(...global) + 1);
  const rankings = perStore.map((counts) => topK(counts.map((c, i) => c + scale * global[i]), 100));
  return { name: 'popularity (per store)', rank: (q, k) => (k <= 100 ? rankings[q.store].slice(0, k) : topK(perStore[q.store], k)) };
}

export function cooccurrence(train: readonly Shopper[], itemCount: number): Ranker {
  const counts = new Float32Array(itemCount * itemCount);
  const popularity = new Float64Array(itemCount);
  for (const s of train) {
    for (let p = 0; p < s.items.length; p++) {
      popularity[s.items[p]]++;
      for (let q = p + 1; q < s.items.length; q++) {
        counts[s.items[p] * itemCount + s.items[q]]++;
        counts[s.items[q] * itemCount + s.items[p]]++;
      }
    }
  }
  const tieBreak = 0.5 / (Math.max(...popularity) + 1);
  const scores = new Float64Array(itemCount);
  return {
    name: 'item co-occurrence',
    rank(q: RankingQuery, k: number): number[] {
      for (let i = 0; i < itemCount; i++) scores[i] = tieBreak * popularity[i];
      for (const h of q.history) {
        const row = counts.subarray(h * itemCount, (h + 1) * itemCount);
        for (let i = 0; i < itemCount; i++) scores[i] += row[i];
      }
      return topK(scores, k);
    },
  };
}
