/**
 * Contract: exposure counters for the merchant view. Increments add up per
 * (item, store, segment, day, key), and reads sum each key over whatever the filter leaves in.
 */
import { expect } from 'chai';
import type { FedrecStore } from '../fedrec-store.ts';
import { expectFedrecError, makeIncrement } from './store-fixtures.ts';

export function describeExposureContract(store: () => FedrecStore): void {
  describe('exposure', () => {
    beforeEach(async () => {
      await store().addExposure([
        makeIncrement({ amount: 1 }),
        makeIncrement({ amount: 2 }),
        makeIncrement({ storeId: 's2', amount: 4 }),
        makeIncrement({ segment: 'family', amount: 8 }),
        makeIncrement({ day: '2025-03-02', amount: 16 }),
        makeIncrement({ day: '2025-03-05', amount: 32 }),
        makeIncrement({ key: 'top-reason:store-trend', amount: 64 }),
        makeIncrement({ itemId: 'bread', amount: 128 }),
      ]);
      // A second batch adds to the same counters rather than replacing them.
      await store().addExposure([makeIncrement({ amount: 0.5 }), makeIncrement({ key: 'top-reason:store-trend', amount: 0.25 })]);
    });

    it('sums each key over all stores, segments and days of an item', async () => {
      expect(await store().readExposure({ itemId: 'milk' })).to.deep.equal({ shown: 63.5, 'top-reason:store-trend': 64.25 });
      expect(await store().readExposure({ itemId: 'bread' })).to.deep.equal({ shown: 128 });
      expect(await store().readExposure({ itemId: 'nope' })).to.deep.equal({});
    });

    it('filters by store and by segment', async () => {
      expect(await store().readExposure({ itemId: 'milk', storeId: 's2' })).to.deep.equal({ shown: 4 });
      expect(await store().readExposure({ itemId: 'milk', segment: 'family' })).to.deep.equal({ shown: 8 });
      const young = await store().readExposure({ itemId: 'milk', storeId: 's1', segment: 'young' });
      expect(young).to.deep.equal({ shown: 51.5, 'top-reason:store-trend': 64.25 });
      expect(await store().readExposure({ itemId: 'milk', storeId: 's3' })).to.deep.equal({});
    });

    it('filters by an inclusive day range, open at either end', async () => {
      expect(await store().readExposure({ itemId: 'milk', fromDay: '2025-03-02', toDay: '2025-03-05' })).to.deep.equal({ shown: 48 });
      expect(await store().readExposure({ itemId: 'milk', fromDay: '2025-03-03' })).to.deep.equal({ shown: 32 });
      const firstDay = await store().readExposure({ itemId: 'milk', toDay: '2025-03-01', storeId: 's1', segment: 'young' });
      expect(firstDay).to.deep.equal({ shown: 3.5, 'top-reason:store-trend': 64.25 });
    });

    it('adds a whole batch or none of it', async () => {
      const badDay = [makeIncrement({ amount: 1000 }), makeIncrement({ day: '1 March' })];
      await expectFedrecError(store().addExposure(badDay), 'invalid-input', /YYYY-MM-DD/);
      await expectFedrecError(store().addExposure([makeIncrement({ amount: 1000 }), makeIncrement({ amount: NaN })]), 'invalid-input');
      expect((await store().readExposure({ itemId: 'milk' })).shown).to.equal(63.5);
    });

    it('keeps any key as a plain counter, even "__proto__"', async () => {
      await store().addExposure([makeIncrement({ itemId: 'jam', key: '__proto__', amount: 3 })]);
      const read = await store().readExposure({ itemId: 'jam' });
      expect(Object.keys(read)).to.deep.equal(['__proto__']);
      expect(Object.getPrototypeOf(read)).to.equal(Object.prototype);
    });
  });
}
