/**
 * Recall@k and NDCG@k for one shopper, binary relevance over their distinct held-out items
 * (Järvelin & Kekäläinen 2002 for DCG with log2(rank + 1) discounts, rank counted from 1).
 */

/**
 * @example recallAt([5, 3, 9], [3, 7], 3) // 0.5: one of two targets is in the top 3
 */
export function recallAt(ranked: readonly number[], targets: readonly number[], k: number): number {
  const wanted = new Set(targets);
  if (wanted.size === 0) throw new Error('recallAt: no targets');
  let hits = 0;
  for (const item of ranked.slice(0, k)) if (wanted.has(item)) hits++;
  return hits / wanted.size;
}

/**
 * @example ndcgAt([5, 3], [3], 2) // 1 / log2(3) ≈ 0.631: the only target sits at rank 2
 */
export function ndcgAt(ranked: readonly number[], targets: readonly number[], k: number): number {
  const wanted = new Set(targets);
  if (wanted.size === 0) throw new Error('ndcgAt: no targets');
  let dcg = 0;
  ranked.slice(0, k).forEach((item, r) => {
    if (wanted.has(item)) dcg += 1 / Math.log2(r + 2);
  });
  let ideal = 0;
  for (let r = 0; r < Math.min(k, wanted.size); r++) ideal += 1 / Math.log2(r + 2);
  return dcg / ideal;
}
