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
      const registered = await store().registerClient({ id: 'c1', storeId: 's1', tokenHash: tokenHash('secret') });
      expect(registered).to.deep.include({ id: 'c1', storeId: 's1', tokenHash: tokenHash('secret'), lastSeenAt: null });
      expect(registered.registeredAt).to.match(isoTimestamp);
      expect(await store().getClient('c1')).to.deep.equal(registered);
      expect(await store().getClient('nope')).to.equal(undefined);
    });

    it('refuses to re-register an id, keeping the original token hash', async () => {
      await store().registerClient({ id: 'c1', storeId: 's1', tokenHash: tokenHash('secret') });
      await expectFedrecError(store().registerClient({ id: 'c1', storeId: 's1', tokenHash: tokenHash('attacker') }), 'conflict');
      expect((await store().getClient('c1'))!.tokenHash).to.equal(tokenHash('secret'));
    });

    it('refuses anything that is not a hex sha256, such as the raw token', async () => {
      for (const hash of ['secret', tokenHash('secret').toUpperCase(), tokenHash('secret').slice(1)]) {
        await expectFedrecError(store().registerClient({ id: 'c1', storeId: 's1', tokenHash: hash }), 'invalid-input', /sha256/);
      }
      expect(await store().getClient('c1')).to.equal(undefined);
    });

    it('records when a client was last seen', async () => {
      const registered = await store().registerClient({ id: 'c1', storeId: 's1', tokenHash: tokenHash('secret') });
      await store().touchClient('c1');
      const seen = (await store().getClient('c1'))!;
      expect(seen.lastSeenAt).to.match(isoTimestamp);
      expect(seen.lastSeenAt! >= registered.registeredAt).to.equal(true);
      await expectFedrecError(store().touchClient('nope'), 'not-found');
    });
  });
}
