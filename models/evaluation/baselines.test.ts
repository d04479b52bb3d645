import { expect } from 'chai';
import type { Shopper } from '../data/retail-world.ts';
import { cooccurrence, globalPopularity, storePopularity } from './baselines.ts';
import { metricSums } from './evaluate-ranker.ts';

// Six items (5 never sold), two stores. Purchase counts: item 0 ×1, 1 ×3, 2 ×2, 3 ×2, 4 ×1, 5 ×0.
const train: Shopper[] = [
  { id: 'a', store: 0, items: [0, 1, 2], times: [1, 2, 3] },
  { id: 'b', store: 0, items: [1, 2, 1], times: [1, 2, 3] },
  { id: 'c', store: 1, items: [3, 3, 4], times: [1, 2, 3] },
];
const items = 6;

describe('baselines on a hand-built world', () => {
  it('global popularity: most bought first, ties to the lower index', () => {
    // 1 (3 sales); 2 and 3 (2 each); 0 and 4 (1 each); 5.
    expect(globalPopularity(train, items).rank({ store: 1, history: [4] }, 6)).to.deep.equal([1, 2, 3, 0, 4, 5]);
  });

  it("per-store popularity: the store's own sales, then global popularity for items it never sold", () => {
    const ranker = storePopularity(train, items, 2);
    // Store 0 sold 1 ×3, 2 ×2, 0 ×1; unsold 3 (2 sales elsewhere) beats 4 (1) beats 5 (0).
    expect(ranker.rank({ store: 0, history: [] }, 6)).to.deep.equal([1, 2, 0, 3, 4, 5]);
    // Store 1 sold 3 ×2, 4 ×1; then 1, 2, 0 by global sales.
    expect(ranker.rank({ store: 1, history: [] }, 6)).to.deep.equal([3, 4, 1, 2, 0, 5]);
    expect(ranker.rank({ store: 1, history: [] }, 2)).to.deep.equal([3, 4]);
  });

  it('co-occurrence: items bought by the same shoppers as the history, repeats included', () => {
    const ranker = cooccurrence(train, items);
    // Pair counts: 1–2 three times (a once, b twice), 1–1 twice (b's repeat, counted both ways),
    // 0–1 and 0–2 once (a), 3–3 twice and 3–4 twice (c). Popularity breaks ties (0.125 per sale).
    // History [1]: 2 (3), 1 (2), 0 (1), then popularity: 3, 4, 5.
    expect(ranker.rank({ store: 0, history: [1] }, 6)).to.deep.equal([2, 1, 0, 3, 4, 5]);
    // History [3]: 3 (2 + 0.25) beats 4 (2 + 0.125).
    expect(ranker.rank({ store: 1, history: [3] }, 6)).to.deep.equal([3, 4, 1, 2, 0, 5]);
    // History [0, 4]: sums the rows: 3 (2, via 4), 1 (1 + 0.375), 2 (1 + 0.25), then 0, 4, 5.
    expect(ranker.rank({ store: 0, history: [0, 4] }, 6)).to.deep.equal([3, 1, 2, 0, 4, 5]);
    // No history: popularity alone.
    expect(ranker.rank({ store: 0, history: [] }, 6)).to.deep.equal([1, 2, 3, 0, 4, 5]);
  });

  it('are told apart by recall@1 on a held-out purchase', () => {
    const test = [{ shopper: 0, store: 1, history: [3], targets: [4] }];
    expect(metricSums(globalPopularity(train, items), test, 1).recall).to.equal(0);
    expect(metricSums(storePopularity(train, items, 2), test, 2).recall).to.equal(1);
    expect(metricSums(cooccurrence(train, items), test, 1).recall).to.equal(0);
    expect(metricSums(cooccurrence(train, items), test, 2).recall).to.equal(1);
  });
});
