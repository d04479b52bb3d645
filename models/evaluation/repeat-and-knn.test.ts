import { expect } from 'chai';
import type { Shopper } from '../data/retail-world.ts';
import { itemKnn } from './item-knn.ts';
import { personalRepeat } from './personal-repeat.ts';

const shopper = (id: string, items: number[]): Shopper => ({ id, store: 0, items, times: items.map((_, t) => t) });

describe('personal-repeat and ItemKNN baselines', () => {
  const train = [shopper('a', [0, 1, 2]), shopper('b', [0, 1]), shopper('c', [0, 3]), shopper('d', [4, 5]), shopper('e', [4, 5, 0])];

  it('personal repeat: most frequent past items, ties by the latest purchase, then global popularity', () => {
    const ranker = personalRepeat(train, 6);
    // 2 bought twice; 3 and 5 once each, 5 more recently; then popularity: 0 (4 buys), 1/4/5 (2) …
    expect(ranker.rank({ store: 0, history: [2, 3, 2, 5] }, 5)).to.deep.equal([2, 5, 3, 0, 1]);
    expect(ranker.rank({ store: 0, history: [] }, 2)).to.deep.equal([0, 1]);
  });

  it('ItemKNN: cosine over buyers, summed over the distinct history, discounting items everyone buys', () => {
    const ranker = itemKnn(train, 6);
    // Buyers: 0 {a,b,c,e}, 1 {a,b}, 3 {c}, 4 {d,e}, 5 {d,e}. From history [4]: 5 has cos 1, 0 has 1/√8.
    expect(ranker.rank({ store: 0, history: [4] }, 2)).to.deep.equal([5, 0]);
    // From [1]: 0 has 2/√8 = 0.707, 2 has 1/√2 = 0.707 as well … and 2's single buyer a bought 1: cos(1,2) = 1/√2.
    const ranked = ranker.rank({ store: 0, history: [1, 1] }, 6);
    expect(ranked.slice(0, 2).sort()).to.deep.equal([0, 2]);
    expect(ranked.indexOf(3)).to.be.above(ranked.indexOf(0));
  });
});
