/**
 * Contract: sealed merchant-view days. A day's raw counters can be listed, a day is sealed once
 * with the noised counters given (a second seal changes nothing), and sealed reads sum only what
 * was sealed.
 */
import { expect } from 'chai';
import type { FedrecStore } from '../fedrec-store.ts';
import { expectFedrecError, makeIncrement } from './store-fixtures.ts';

export function describeSealedExposureContract(store: () => FedrecStore): void {
  describe('sealed exposure days', () => {
    beforeEach(async () => {
      await store().addExposure([
        makeIncrement({ day: '2025-03-01', amount: 3 }),
        makeIncrement({ day: '2025-03-01', storeId: 's2', amount: 5 }),
        makeIncrement({ day: '2025-03-02', amount: 7 }),
        makeIncrement({ day: '2025-03-04', amount: 11 }),
      ]);
    });

    it('lists a day’s raw counters and the unsealed days before a day', async () => {
      const day = await store().listExposureDay('2025-03-01');
      expect(day.map((c) => [c.storeId, c.amount])).to.deep.equal([
        ['s1', 3],
        ['s2', 5],
      ]);
      expect(await store().unsealedExposureDays('2025-03-04')).to.deep.equal(['2025-03-01', '2025-03-02']);
    });

    it('seals a day once: the first noised counters stay, a second seal is refused without change', async () => {
      expect(await store().sealExposureDay('2025-03-01', [makeIncrement({ day: '2025-03-01', amount: 2.5 })])).to.equal(true);
      expect(await store().sealExposureDay('2025-03-01', [makeIncrement({ day: '2025-03-01', amount: 99 })])).to.equal(false);
      expect(await store().readSealedExposure({ itemId: 'milk' })).to.deep.equal({ shown: 2.5 });
      expect(await store().unsealedExposureDays('2025-03-05')).to.deep.equal(['2025-03-02', '2025-03-04']);
      // The raw counters are untouched.
      expect((await store().readExposure({ itemId: 'milk', toDay: '2025-03-01' })).shown).to.equal(8);
    });

    it('reads sealed sums with the same filters as raw ones', async () => {
      await store().sealExposureDay('2025-03-01', [makeIncrement({ day: '2025-03-01', amount: 2 }), makeIncrement({ day: '2025-03-01', storeId: 's2', amount: -1 })]);
      await store().sealExposureDay('2025-03-02', [makeIncrement({ day: '2025-03-02', amount: 6 })]);
      expect(await store().readSealedExposure({ itemId: 'milk' })).to.deep.equal({ shown: 7 });
      expect(await store().readSealedExposure({ itemId: 'milk', storeId: 's2' })).to.deep.equal({ shown: -1 });
      expect(await store().readSealedExposure({ itemId: 'milk', fromDay: '2025-03-02' })).to.deep.equal({ shown: 6 });
    });

    it('refuses a counter for another day, or a malformed one, sealing nothing', async () => {
      await expectFedrecError(store().sealExposureDay('2025-03-01', [makeIncrement({ day: '2025-03-02' })]), 'invalid-input', /not 2025-03-01/);
      await expectFedrecError(store().sealExposureDay('2025-03-01', [makeIncrement({ day: '2025-03-01', amount: NaN })]), 'invalid-input');
      expect(await store().unsealedExposureDays('2025-03-02')).to.deep.equal(['2025-03-01']);
      expect(await store().readSealedExposure({ itemId: 'milk' })).to.deep.equal({});
    });
  });
}
