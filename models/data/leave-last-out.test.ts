import { expect } from 'chai';
import { trainingExamples } from '../training/training-examples.ts';
import { leaveLastOut } from './leave-last-out.ts';
import type { Shopper } from './retail-world.ts';
import { SeededRandom } from './seeded-random.ts';

/** 400 shoppers of 1 to 14 purchases over 150 items and 4 stores, repeats included. */
function randomShoppers(seed: number): Shopper[] {
  const rng = new SeededRandom(seed);
  return Array.from({ length: 400 }, (_, s) => {
    const items: number[] = [];
    const length = 1 + rng.int(14);
    for (let t = 0; t < length; t++) items.push(t > 0 && rng.next() < 0.3 ? rng.pick(items) : rng.int(150));
    return { id: `s${s}`, store: rng.int(4), items, times: items.map((_, t) => 2 * t) };
  });
}

describe('leaveLastOut', () => {
  const world = { shoppers: randomShoppers(3) };

  for (const holdout of [1, 2]) {
    it(`holds out exactly the last ${holdout} purchase(s) and trains on exactly the rest`, () => {
      const split = leaveLastOut(world.shoppers, holdout);
      expect(split.train).to.have.length(world.shoppers.length);
      const tested = new Set(split.test.map((t) => t.shopper));
      for (const held of split.test) {
        const full = world.shoppers[held.shopper];
        const cut = full.items.length - holdout;
        expect(held.targets).to.deep.equal(full.items.slice(cut));
        expect(held.history).to.deep.equal(full.items.slice(0, cut));
        expect(split.train[held.shopper].items).to.deep.equal(full.items.slice(0, cut));
        expect(split.train[held.shopper].times).to.deep.equal(full.times.slice(0, cut));
        expect(held.store).to.equal(full.store);
      }
      world.shoppers.forEach((full, s) => {
        if (!tested.has(s)) expect(split.train[s], 'too short to split: training only').to.deep.equal(full);
      });
    });
  }

  it('never lets a held-out purchase into the training examples, as a target or as history', () => {
    const L = 5;
    const split = leaveLastOut(world.shoppers, 2);
    const examples = trainingExamples(split.train, L);
    const total = world.shoppers.reduce((n, s) => n + s.items.length, 0);
    // By count: one example per training purchase, none for the 2 held-out purchases of each tested shopper.
    expect(examples.count).to.equal(total - 2 * split.test.length);
    // By content: walking the examples shopper by shopper, example t of a shopper targets original
    // position t < cut and its history is exactly the (up to L) original purchases before t.
    let e = 0;
    world.shoppers.forEach((full, s) => {
      const cut = split.train[s].items.length;
      for (let t = 0; t < cut; t++, e++) {
        expect(examples.target[e]).to.equal(full.items[t]);
        expect(examples.store[e]).to.equal(full.store);
        const history: number[] = [];
        for (let j = 0; j < L; j++) if (examples.mask[e * L + j] === 1) history.push(examples.history[e * L + j]);
        expect(history).to.deep.equal(full.items.slice(Math.max(0, t - L), t));
      }
    });
    expect(e).to.equal(examples.count);
  });

  it('keeps a one-purchase shopper for training only and rejects a holdout below 1', () => {
    const lonely: Shopper = { id: 'x', store: 0, items: [7], times: [1] };
    expect(leaveLastOut([lonely], 1)).to.deep.equal({ train: [lonely], test: [] });
    expect(() => leaveLastOut([lonely], 0)).to.throw(/holdout/);
  });
});
