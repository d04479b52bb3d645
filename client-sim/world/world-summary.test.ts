import { expect } from 'chai';
import type { RetailWorld } from '../../models/data/retail-world.ts';
import { summarizeWorld } from './world-summary.ts';

const item = (id: string, category: string) => ({ id, name: id, category, brand: 'b', price: 1, promotion: false, novelty: false });

// Store A sells only category X; store B sells X and Y half and half; store C has no shoppers.
const world: RetailWorld = {
  catalog: [item('x1', 'X'), item('x2', 'X'), item('y1', 'Y')],
  categories: ['X', 'Y'],
  stores: [
    { id: 'a', name: 'A', region: 'r' },
    { id: 'b', name: 'B', region: 'r' },
    { id: 'c', name: 'C', region: 'r' },
  ],
  shoppers: [
    { id: 's1', store: 0, items: [0, 1, 0, 1], times: [1, 2, 3, 4] },
    { id: 's2', store: 1, items: [0, 2], times: [1, 2] },
    { id: 's3', store: 1, items: [2], times: [1] },
    { id: 's4', store: 1, items: [1], times: [1] },
  ],
  source: { kind: 'synthetic', seed: 0 },
};

describe('summarizeWorld', () => {
  it('counts shoppers and purchases per store and measures how far each store is from the overall category mix', () => {
    const summary = summarizeWorld(world);
    expect(summary).to.include({ shoppers: 4, purchases: 8, items: 3, categories: 2, heldOutShoppers: 2 });
    const [a, b, c] = summary.stores;
    expect([a.shoppers, a.purchases, b.shoppers, b.purchases, c.shoppers, c.purchases]).to.deep.equal([1, 4, 3, 4, 0, 0]);
    // Overall: 6 of 8 purchases are X (75%). A is 100% X: 25% would have to move. B is 50% X: 25% too.
    expect(a.categoryDivergence).to.be.closeTo(0.25, 1e-12);
    expect(b.categoryDivergence).to.be.closeTo(0.25, 1e-12);
    expect(a.topCategories[0]).to.deep.equal({ category: 'X', share: 1 });
    expect(b.topCategories.map((t) => t.share)).to.deep.equal([0.5, 0.5]);
    // A store nobody shops at has no purchases that would have to move.
    expect(c.categoryDivergence).to.equal(0);
    expect(c.topCategories.map((t) => t.share)).to.deep.equal([0, 0]);
  });
});
