/**
 * API keys: random secrets shown once; the store keeps only their SHA-256 and a public id. A
 * key is found by its hash (an index lookup reveals nothing a guess could use: finding a key from
 * its hash is a SHA-256 preimage), and a revoked key fails on its very next request: revoking
 * clears this process's cache of records (key-cache.ts); a revocation by another process on the
 * same file (`fedrec keys revoke --db`) counts within the cache's 1 s.
 */
import { createHash, randomBytes } from 'node:crypto';
import { FedrecError } from '../errors/index.ts';
import type { ApiKeyRecord, FedrecStore, Role } from '../store/index.ts';
import { keyCacheOf } from './key-cache.ts';

/** Key prefix: makes a leaked key recognisable to secret scanners, as GitHub's `ghp_` does. */
export const apiKeyPrefix = 'fedrec_';

/** The smallest key accepted from outside (FEDREC_ADMIN_KEY): 32 characters. */
export const minimumKeyLength = 32;

export const hashApiKey = (key: string): string => createHash('sha256').update(key).digest('hex');

/** A key record as it may be shown: everything but the hash. */
export type ApiKeyView = Omit<ApiKeyRecord, 'keyHash'>;

export const keyView = ({ keyHash: _, ...view }: ApiKeyRecord): ApiKeyView => view;

/**
 * Creates a key for `role`, audited as `key.created` by `actor`; the key itself is returned this
 * once. `secret` is for a key chosen outside (FEDREC_ADMIN_KEY), else 32 random bytes.
 * @example const { key, record } = await createApiKey(store, { role: 'app', name: 'web shop' }, principal.keyId);
 */
export async function createApiKey(store: FedrecStore, input: { role: Role; name: string; secret?: string }, actor: string): Promise<{ key: string; record: ApiKeyView }> {
  const key = input.secret ?? apiKeyPrefix + randomBytes(32).toString('base64url');
  if (key.length < minimumKeyLength) throw new FedrecError('invalid-input', `an API key needs at least ${minimumKeyLength} characters`);
  const id = `key_${randomBytes(6).toString('hex')}`;
  const record = await store.createApiKey(
    { id, name: input.name, role: input.role, keyHash: hashApiKey(key), createdBy: actor },
    { actor, action: 'key.created', target: id, details: { role: input.role, name: input.name } },
  );
  return { key, record: keyView(record) };
}

/** @example await revokeApiKey(store, 'key_0a1b2c3d4e5f', principal.keyId) */
export async function revokeApiKey(store: FedrecStore, id: string, actor: string): Promise<ApiKeyView> {
  const found = await store.getApiKey(id);
  const details = found ? { role: found.role, name: found.name } : {};
  const revoked = await store.revokeApiKey(id, actor, { actor, action: 'key.revoked', target: id, details });
  keyCacheOf(store).clear();
  return keyView(revoked);
}
