/**
 * Registering store clients: each gets a fresh random token, returned once to whoever registers it
 * (an operator, `fedrec sim`, the demo) and stored only as its SHA-256, which the socket.io
 * handshake checks.
 */
import { randomBytes } from 'node:crypto';
import type { FedrecStore } from '../store/fedrec-store.ts';
import { hashToken, issueClientToken } from './client-token.ts';
import type { ClientCredentials } from '../../protocol/index.ts';

export type { ClientCredentials };

/**
 * Registers one client per store, named `<store>-<label>-<random>` so that registering again
 * never re-issues a token for an existing client id, each with the population (shoppers) it may
 * sample from: the operator's number, which bounds every count the client reports.
 * @example const [c] = await registerClients(store, [{ storeId: 'store-0', population: 500 }], 'sim'); // { clientId: 'store-0-sim-3f9a1c', storeId, token }
 */
export async function registerClients(store: FedrecStore, stores: readonly { storeId: string; population: number }[], label: string): Promise<ClientCredentials[]> {
  const run = randomBytes(3).toString('hex');
  const credentials: ClientCredentials[] = [];
  for (const { storeId, population } of stores) {
    const token = issueClientToken();
    const clientId = `${storeId}-${label}-${run}`;
    await store.registerClient({ id: clientId, storeId, tokenHash: hashToken(token), population });
    credentials.push({ clientId, storeId, token });
  }
  return credentials;
}
