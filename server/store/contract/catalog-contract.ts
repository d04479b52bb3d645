/**
 * Contract: the catalogue. putCatalog is an upsert by id that either applies every item or,
 * if any item is invalid, none of them.
 */
import { expect } from 'chai';
import type { FedrecStore } from '../fedrec-store.ts';
import { expectFedrecError, makeItem } from './store-fixtures.ts';

export function describeCatalogContract(store: () => FedrecStore): void {
  describe('catalog', () => {
    it('inserts items and reads them back in insertion order', async () => {
      const items = [
        makeItem('milk'),
        makeItem('bread', { category: 'bakery', promotion: true, novelty: false }),
        makeItem('eggs', { price: 0.01 }),
      ];
      expect(await store().putCatalog(items)).to.deep.equal({ inserted: 3, updated: 0 });
      expect(await store().listCatalog()).to.deep.equal(items);
      expect(await store().getCatalogItem('bread')).to.deep.equal(items[1]);
      expect(await store().getCatalogItem('nope')).to.equal(undefined);
    });

    it('upserts by id, counting inserted and updated items, keeping each item\'s place', async () => {
      await store().putCatalog([makeItem('milk'), makeItem('bread')]);
      const bread = makeItem('bread', { price: 3.1, promotion: true });
      const jam = makeItem('jam', { brand: 'Other' });
      // jam twice in one batch: inserted, then updated by the later copy.
      expect(await store().putCatalog([bread, makeItem('jam'), jam])).to.deep.equal({ inserted: 1, updated: 2 });
      expect(await store().listCatalog()).to.deep.equal([makeItem('milk'), bread, jam]);
      expect(await store().putCatalog([])).to.deep.equal({ inserted: 0, updated: 0 });
    });

    it('writes nothing when any item is invalid, naming the item and field', async () => {
      await store().putCatalog([makeItem('milk')]);
      const error = await expectFedrecError(
        store().putCatalog([makeItem('milk', { price: 9 }), makeItem('bread', { price: 0 }), makeItem('jam')]),
        'invalid-input',
      );
      expect(error.issues.map((issue) => issue.path)).to.deep.equal([['items', 1, 'price']]);
      expect(await store().listCatalog()).to.deep.equal([makeItem('milk')]);
    });

    it('refuses prices that are not positive finite numbers', async () => {
      for (const price of [-1, NaN, Infinity]) {
        await expectFedrecError(store().putCatalog([makeItem('milk', { price })]), 'invalid-input');
      }
      expect(await store().listCatalog()).to.deep.equal([]);
    });
  });
}
