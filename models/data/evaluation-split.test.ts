import { expect } from 'chai';
import fc from 'fast-check';
import { leaveLastOutWithValidation, timeSplit } from './evaluation-split.ts';
import type { Shopper } from './retail-world.ts';

const shopperArbitrary = fc.array(fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 5 })), { minLength: 0, maxLength: 12 }).map((purchases) => {
  let day = 0;
  const items: number[] = [];
  const times: number[] = [];
  for (const [item, gap] of purchases) {
    day += gap;
    items.push(item);
    times.push(day);
  }
  return { items, times };
});
const shoppersArbitrary = fc.array(shopperArbitrary, { minLength: 1, maxLength: 20 }).map((list) =>
  list.map((s, k): Shopper => ({ id: `s${k}`, store: k % 3, items: s.items, times: s.times })));

/** Purchase positions (shopper, index) used as training, as validation targets and as test targets. */
function positions(shoppers: Shopper[], split: ReturnType<typeof leaveLastOutWithValidation>) {
  const trained = new Map(split.train.map((s) => [s.id, s.items.length]));
  return shoppers.map((s) => ({ trained: trained.get(s.id) ?? 0, length: s.items.length }));
}

describe('evaluation splits', () => {
  it('leave-last-out: test = last purchase, validation = the one before, training = everything before both', () => {
    fc.assert(fc.property(shoppersArbitrary, (shoppers) => {
      const split = leaveLastOutWithValidation(shoppers);
      const spans = positions(shoppers, split);
      for (const held of split.test) {
        const full = shoppers[held.shopper];
        expect(held.targets).to.deep.equal([full.items.at(-1)]);
        expect(held.history).to.deep.equal(full.items.slice(0, -1));
      }
      for (const held of split.validation) {
        const full = shoppers[held.shopper];
        expect(held.targets).to.deep.equal([full.items.at(-2)]);
        // The validation history is exactly the training purchases: nothing held out leaks in.
        expect(held.history).to.deep.equal(split.train.find((s) => s.id === full.id)!.items);
        expect(spans[held.shopper].trained).to.equal(full.items.length - 2);
      }
      // The test position and the validation position are different purchases, both after training.
      shoppers.forEach((s, k) => {
        const isTest = split.test.some((h) => h.shopper === k);
        const isValidation = split.validation.some((h) => h.shopper === k);
        expect(isTest).to.equal(s.items.length >= 2);
        expect(isValidation).to.equal(s.items.length >= 3);
        expect(spans[k].trained).to.equal(s.items.length - Number(isTest) - Number(isValidation));
      });
    }));
  });

  it('time: training before the validation window, validation and test windows disjoint and in order', () => {
    fc.assert(fc.property(shoppersArbitrary, fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 10 }), (shoppers, testDays, validationDays) => {
      const split = timeSplit(shoppers, { testDays, validationDays });
      const end = Math.max(...shoppers.flatMap((s) => s.times), -Infinity);
      const testCut = end - testDays;
      const validationCut = testCut - validationDays;
      for (const s of split.train) for (const t of s.times) expect(t).to.be.below(validationCut);
      for (const held of split.validation) {
        const full = shoppers[held.shopper];
        const inWindow = full.items.filter((_, k) => full.times[k] >= validationCut && full.times[k] < testCut);
        expect(held.targets).to.deep.equal([...new Set(inWindow)]);
        expect(held.history).to.deep.equal(full.items.filter((_, k) => full.times[k] < validationCut));
        expect(held.history.length).to.be.above(0);
      }
      for (const held of split.test) {
        const full = shoppers[held.shopper];
        expect(held.targets).to.deep.equal([...new Set(full.items.filter((_, k) => full.times[k] >= testCut))]);
        expect(held.history).to.deep.equal(full.items.filter((_, k) => full.times[k] < testCut));
        expect(held.history.length).to.be.above(0);
      }
    }));
  });

  it('rejects an empty window', () => {
    expect(() => timeSplit([], { testDays: 0, validationDays: 1 })).to.throw(/windows/);
  });
});
