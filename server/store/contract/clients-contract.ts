/**
 * Contract: registered clients. Only a token's hash is ever stored, and an id cannot be
 * re-registered with another token.
 */
import { expect } from 'chai';
import type { FedrecStore } from '../fedrec-store.ts';
import { expectFedrecError, isoTimestamp, tokenHash } from './store-fixtures.ts';

export function describeClientsContract(store: () => FedrecStore): void {
  describe('clients', () => {
    it('registers a client never seen, and reads it back', async () => {
      const registered = await store().registerClient({ id: 'c1', storeId: 's1', tokenHash: tokenHash('secret'), population: 500 });
      expect(registered).to.deep.include({ id: 'c1', storeId: 's1', tokenHash: tokenHash('secret'), population: 500, lastSeenAt: null });
      expect(registered.registeredAt).to.match(isoTimestamp);
      expect(await store().getClient('c1')).to.deep.equal(registered);
      expect(await store().getClient('nope')).to.equal(undefined);
    });

    it('refuses to re-register an id, keeping the original token hash', async () => {
      await store().registerClient({ id: 'c1', storeId: 's1', tokenHash: tokenHash('secret'), population: 500 });
      await expectFedrecError(store().registerClient({ id: 'c1', storeId: 's1', tokenHash: tokenHash('attacker'), population: 1e9 }), 'conflict');
      expect(await store().getClient('c1')).to.deep.include({ tokenHash: tokenHash('secret'), population: 500 });
    });

    it('keeps the population the operator registered, refuses one that is not an exact count, and changes it on request', async () => {
      for (const population of [-1, 1.5, Number.MAX_SAFE_INTEGER + 1, Number.POSITIVE_INFINITY, Number.NaN]) {
        await expectFedrecError(store().registerClient({ id: 'c1', storeId: 's1', tokenHash: tokenHash('secret'), population }), 'invalid-input', /population/);
      }
      expect(await store().getClient('c1')).to.equal(undefined);
      await store().registerClient({ id: 'c1', storeId: 's1', tokenHash: tokenHash('secret'), population: 500 });
      expect(await store().setClientPopulation('c1', 800)).to.deep.include({ id: 'c1', population: 800 });
      expect((await store().getClient('c1'))!.population).to.equal(800);
      await expectFedrecError(store().setClientPopulation('c1', 2 ** 60), 'invalid-input', /population/);
      expect((await store().getClient('c1'))!.population).to.equal(800);
      await expectFedrecError(store().setClientPopulation('nope', 10), 'not-found');
    });

    it('refuses anything that is not a hex sha256, such as the raw token', async () => {
      for (const hash of ['secret', tokenHash('secret').toUpperCase(), tokenHash('secret').slice(1)]) {
        await expectFedrecError(store().registerClient({ id: 'c1', storeId: 's1', tokenHash: hash, population: 500 }), 'invalid-input', /sha256/);
      }
      expect(await store().getClient('c1')).to.equal(undefined);
    });

    it('records when a client was last seen', async () => {
      const registered = await store().registerClient({ id: 'c1', storeId: 's1', tokenHash: tokenHash('secret'), population: 500 });
      await store().touchClient('c1');
      const seen = (await store().getClient('c1'))!;
      expect(seen.lastSeenAt).to.match(isoTimestamp);
      expect(seen.lastSeenAt! >= registered.registeredAt).to.equal(true);
      await expectFedrecError(store().touchClient('nope'), 'not-found');
    });
  });
}
