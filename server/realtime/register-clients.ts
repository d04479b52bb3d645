/**
 * Registering store clients: each gets a fresh random token, returned once to whoever registers it
 * (an operator, `fedrec sim`, the demo) and stored only as its SHA-256, which the socket.io
 * handshake checks.
 */
import { randomBytes } from 'node:crypto';
import type { FedrecStore } from '../store/fedrec-store.ts';
import { hashToken, issueClientToken } from './client-token.ts';

/** What a store client needs to connect; the token exists nowhere else once this is dropped. */
export interface ClientCredentials {
  clientId: string;
  storeId: string;
  token: string;
}

/**
 * Registers one client per store id, named `<store>-<label>-<random>` so that registering again
 * never re-issues a token for an existing client id.
 * @example const [c] = await registerClients(store, ['store-0'], 'sim'); // { clientId: 'store-0-sim-3f9a1c', storeId, token }
 */
export async function registerClients(store: FedrecStore, storeIds: readonly string[], label: string): Promise<ClientCredentials[]> {
  const run = randomBytes(3).toString('hex');
  const credentials: ClientCredentials[] = [];
  for (const storeId of storeIds) {
    const token = issueClientToken();
    const clientId = `${storeId}-${label}-${run}`;
    await store.registerClient({ id: clientId, storeId, tokenHash: hashToken(token) });
    credentials.push({ clientId, storeId, token });
  }
  return credentials;
}
