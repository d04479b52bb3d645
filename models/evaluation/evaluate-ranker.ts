/**
 * Full-catalogue evaluation (no sampled negatives, Krichene & Rendle 2020): every held-out
 * shopper's targets are ranked against all items; metrics are means over shoppers.
 */
import type { HeldOutShopper } from '../data/leave-last-out.ts';
import { ndcgAt, recallAt } from './ranking-metrics.ts';
import type { Ranker } from './ranker.ts';

export interface RankingMetrics {
  'recall@10': number;
  'ndcg@10': number;
  shoppers: number;
}

/** Per-shopper metric sums, the unit federated evaluation combines across clients. */
export interface MetricSums {
  recall: number;
  ndcg: number;
  shoppers: number;
}

export function metricSums(ranker: Ranker, test: readonly HeldOutShopper[], k = 10): MetricSums {
  const sums: MetricSums = { recall: 0, ndcg: 0, shoppers: 0 };
  for (const shopper of test) {
    const ranked = ranker.rank({ store: shopper.store, history: shopper.history }, k);
    sums.recall += recallAt(ranked, shopper.targets, k);
    sums.ndcg += ndcgAt(ranked, shopper.targets, k);
    sums.shoppers++;
  }
  return sums;
}

export function metricsFromSums(sums: MetricSums): RankingMetrics {
  const n = Math.max(1, sums.shoppers);
  return { 'recall@10': sums.recall / n, 'ndcg@10': sums.ndcg / n, shoppers: sums.shoppers };
}

/**
 * @example evaluateRanker(globalPopularity(train, items), split.test)['recall@10']
 */
export function evaluateRanker(ranker: Ranker, test: readonly HeldOutShopper[]): RankingMetrics {
  return metricsFromSums(metricSums(ranker, test, 10));
}
