/**
 * The personal-repeat baseline: re-show what the shopper already buys. Their most frequent past
 * items first, ties broken by the most recent purchase, then the rest of the catalogue by global
 * popularity. On retail baskets it is the baseline to beat (Li et al. 2023, "A Next Basket
 * Recommendation Reality Check": repeat-aware baselines rival most published models).
 */
import type { Shopper } from '../data/retail-world.ts';
import { topK } from '../recommender/top-k.ts';
import type { Ranker, RankingQuery } from './ranker.ts';

/** @example evaluateRanker(personalRepeat(split.train, world.catalog.length), split.test) */
export function personalRepeat(train: readonly Shopper[], itemCount: number): Ranker {
  const popularity = new Float64Array(itemCount);
  for (const s of train) for (const i of s.items) popularity[i]++;
  const byPopularity = topK(popularity, itemCount);
  return {
    name: 'personal repeat',
    rank(q: RankingQuery, k: number): number[] {
      const counts = new Map<number, { count: number; last: number }>();
      q.history.forEach((item, position) => {
        const entry = counts.get(item);
        if (entry) {
          entry.count++;
          entry.last = position;
        } else counts.set(item, { count: 1, last: position });
      });
      const repeated = [...counts.entries()].sort((a, b) => b[1].count - a[1].count || b[1].last - a[1].last).map(([item]) => item);
      const ranked = repeated.slice(0, k);
      for (let r = 0; ranked.length < k && r < byPopularity.length; r++) if (!counts.has(byPopularity[r])) ranked.push(byPopularity[r]);
      return ranked;
    },
  };
}
