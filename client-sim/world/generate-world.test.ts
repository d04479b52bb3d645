import { expect } from 'chai';
import { generateWorld, type WorldOptions } from './generate-world.ts';
import type { RetailWorld } from '../../models/data/retail-world.ts';
import { SeededRandom } from '../../models/data/seeded-random.ts';

const small: WorldOptions = { seed: 1, stores: 9, shoppers: 1500, items: 300 };

/** Each group's share of purchases per category, from a function placing a shopper in a group. */
function categoryShares(world: RetailWorld, groups: number, groupOf: (shopper: number) => number): number[][] {
  const categoryIndex = new Map(world.categories.map((c, i) => [c, i]));
  const counts = Array.from({ length: groups }, () => new Array<number>(world.categories.length).fill(0));
  world.shoppers.forEach((shopper, s) => {
    for (const item of shopper.items) counts[groupOf(s)][categoryIndex.get(world.catalog[item].category)!]++;
  });
  return counts.map((row) => {
    const total = row.reduce((a, b) => a + b, 0);
    return row.map((c) => c / total);
  });
}

/** Total-variation distance: the share of purchases that would have to change category. */
const totalVariation = (a: number[], b: number[]): number => 0.5 * a.reduce((sum, x, i) => sum + Math.abs(x - b[i]), 0);

describe('generateWorld', () => {
  let world: RetailWorld;
  before(() => {
    world = generateWorld(small);
  });

  it('gives the same world for the same seed and a different one for another seed', () => {
    expect(generateWorld(small)).to.deep.equal(world);
    const other = generateWorld({ ...small, seed: 2 });
    expect(other.shoppers.map((s) => s.items)).to.not.deep.equal(world.shoppers.map((s) => s.items));
    expect(other.catalog.map((i) => i.name)).to.not.deep.equal(world.catalog.map((i) => i.name));
  });

  it('honours the requested sizes and keeps every reference in range', () => {
    for (const options of [small, { seed: 5, stores: 2, shoppers: 40, items: 25 }]) {
      const sized = options === small ? world : generateWorld(options);
      expect(sized.stores).to.have.length(options.stores);
      expect(sized.shoppers).to.have.length(options.shoppers);
      expect(sized.catalog).to.have.length(options.items);
      expect(new Set(sized.catalog.map((i) => i.id)).size, 'item ids are unique').to.equal(options.items);
      expect(new Set(sized.catalog.map((i) => i.name)).size, 'item names are unique').to.equal(options.items);
      for (const item of sized.catalog) {
        expect(sized.categories).to.include(item.category);
        expect(item.price).to.be.greaterThan(0);
      }
      for (const shopper of sized.shoppers) {
        expect(shopper.store).to.be.within(0, options.stores - 1);
        expect(shopper.items.length, 'two purchases at least, so each can be split').to.be.at.least(2);
        expect(shopper.times).to.have.length(shopper.items.length);
        for (const item of shopper.items) expect(Number.isInteger(item) && item >= 0 && item < options.items).to.equal(true);
      }
    }
  });

  it("keeps every shopper's purchase times non-decreasing", () => {
    for (const shopper of world.shoppers) {
      for (let t = 1; t < shopper.times.length; t++) expect(shopper.times[t], shopper.id).to.be.at.least(shopper.times[t - 1]);
    }
  });

  it('has a popularity skew: the top 10% of items take more than 30% of purchases', () => {
    const counts = new Array<number>(small.items).fill(0);
    for (const shopper of world.shoppers) for (const item of shopper.items) counts[item]++;
    counts.sort((a, b) => b - a);
    const total = counts.reduce((a, b) => a + b, 0);
    const top = counts.slice(0, small.items / 10).reduce((a, b) => a + b, 0);
    // Measured 0.43 for this world; a uniform world would give 0.10.
    expect(top / total).to.be.greaterThan(0.3);
  });

  it('makes stores non-IID: regions buy a clearly different category mix than a random split does', () => {
    const regions = [...new Set(world.stores.map((s) => s.region))];
    expect(regions).to.have.length(3);
    const byRegion = categoryShares(world, regions.length, (s) => regions.indexOf(world.stores[world.shoppers[s].store].region));
    // Control: the same shoppers split at random into as many groups differ only by sampling noise.
    const rng = new SeededRandom(9);
    const groupOf = world.shoppers.map(() => rng.int(regions.length));
    const atRandom = categoryShares(world, regions.length, (s) => groupOf[s]);
    for (let a = 0; a < regions.length; a++) {
      for (let b = a + 1; b < regions.length; b++) {
        const regional = totalVariation(byRegion[a], byRegion[b]);
        const random = totalVariation(atRandom[a], atRandom[b]);
        expect(regional, `${regions[a]} vs ${regions[b]}`).to.be.greaterThan(0.2);
        expect(regional, `${regions[a]} vs ${regions[b]} against a random split (${random.toFixed(3)})`).to.be.greaterThan(4 * random);
      }
    }
  });
});

describe('generateWorld, basket rule', () => {
  const world = generateWorld({ seed: 5, stores: 4, shoppers: 400, items: 200, rule: 'baskets' });
  const concepts = generateWorld({ seed: 5, stores: 4, shoppers: 400, items: 200 });

  it('keeps every reference in range and every history in time order, and differs from the concept rule', () => {
    for (const s of world.shoppers) {
      expect(s.items.length).to.equal(s.times.length);
      for (const i of s.items) expect(i).to.be.within(0, 199);
      expect(s.times).to.deep.equal([...s.times].sort((a, b) => a - b));
    }
    expect(world.shoppers.map((s) => s.items)).to.not.deep.equal(concepts.shoppers.map((s) => s.items));
  });

  it('buys in baskets: purchases on one trip share a day, and shoppers re-buy', () => {
    let sameDay = 0;
    let repeats = 0;
    let purchases = 0;
    for (const s of world.shoppers) {
      for (let t = 1; t < s.times.length; t++) if (s.times[t] === s.times[t - 1]) sameDay++;
      repeats += s.items.length - new Set(s.items).size;
      purchases += s.items.length;
    }
    expect(sameDay / purchases).to.be.above(0.4);
    expect(repeats / purchases).to.be.within(0.1, 0.6);
  });
});
