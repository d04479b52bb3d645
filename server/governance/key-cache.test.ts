import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FedrecError } from '../errors/index.ts';
import { openStore, type FedrecStore } from '../store/index.ts';
import { createApiKey, hashApiKey, revokeApiKey } from './api-keys.ts';
import { authorize } from './authorize.ts';
import { KeyCache } from './key-cache.ts';

const appOnly = { roles: ['app'] as const };

async function refusal(call: Promise<unknown>): Promise<string> {
  const thrown = await call.then(() => undefined, (e: unknown) => e);
  expect(thrown, 'the call should have been refused').to.be.instanceOf(FedrecError);
  return (thrown as FedrecError).message;
}

/** Counts the store's key lookups. */
function counted(store: FedrecStore): { store: FedrecStore; lookups: () => number } {
  let lookups = 0;
  const find = store.findApiKeyByHash.bind(store);
  return {
    store: Object.assign(Object.create(store) as FedrecStore, { findApiKeyByHash: (hash: string) => (lookups++, find(hash)) }),
    lookups: () => lookups,
  };
}

describe('API-key cache (SQLite file)', () => {
  let dir: string;
  let store: FedrecStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fedrec-key-cache-'));
    store = openStore(join(dir, 'fedrec.db'));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads a key from the store once while fresh, and again once its entry is older than the TTL', async () => {
    const { key } = await createApiKey(store, { role: 'app', name: 'shop' }, 'system');
    let now = 0;
    const cache = new KeyCache({ ttlMs: 1_000, now: () => now });
    const probe = counted(store);
    for (let i = 0; i < 5; i++) expect((await cache.find(probe.store, hashApiKey(key)))?.role).to.equal('app');
    expect(probe.lookups()).to.equal(1);
    now = 1_000;
    await cache.find(probe.store, hashApiKey(key));
    expect(probe.lookups()).to.equal(2);
  });

  it('caches no unknown key: one created after a failed attempt works at once, and guesses leave the cache empty', async () => {
    const cache = new KeyCache();
    for (let i = 0; i < 50; i++) expect(await cache.find(store, hashApiKey(`guess-${i}`))).to.equal(undefined);
    expect(cache.size).to.equal(0);
    const secret = 'fedrec_a-key-first-tried-then-created-0123456789';
    expect(await cache.find(store, hashApiKey(secret))).to.equal(undefined);
    await createApiKey(store, { role: 'app', name: 'later', secret }, 'system');
    expect((await cache.find(store, hashApiKey(secret)))?.name).to.equal('later');
  });

  it('keeps at most its capacity, dropping the least recently used', async () => {
    const keys = await Promise.all([0, 1, 2].map((i) => createApiKey(store, { role: 'app', name: `k${i}` }, 'system')));
    const cache = new KeyCache({ capacity: 2 });
    const probe = counted(store);
    const [a, b, c] = keys.map(({ key }) => hashApiKey(key));
    await cache.find(probe.store, a);
    await cache.find(probe.store, b);
    await cache.find(probe.store, a); // a is now the most recent
    await cache.find(probe.store, c); // drops b
    expect(cache.size).to.equal(2);
    const before = probe.lookups();
    await cache.find(probe.store, a);
    expect(probe.lookups(), 'a still cached').to.equal(before);
    await cache.find(probe.store, b);
    expect(probe.lookups(), 'b was dropped').to.equal(before + 1);
  });

  it('a key revoked through revokeApiKey fails on its very next authorize, though it was just cached', async () => {
    const { key, record } = await createApiKey(store, { role: 'app', name: 'shop' }, 'system');
    expect((await authorize(appOnly, `Bearer ${key}`, { store }))?.keyId).to.equal(record.id);
    await revokeApiKey(store, record.id, 'system');
    expect(await refusal(authorize(appOnly, `Bearer ${key}`, { store }))).to.equal('this API key was revoked');
  });

  it('a key revoked by another connection to the file (another process) fails once its entry is older than the TTL', async () => {
    const { key, record } = await createApiKey(store, { role: 'app', name: 'shop' }, 'system');
    let now = 0;
    const cache = new KeyCache({ ttlMs: 1_000, now: () => now });
    expect((await cache.find(store, hashApiKey(key)))?.revokedAt).to.equal(null);
    const other = openStore(join(dir, 'fedrec.db'));
    try {
      await revokeApiKey(other, record.id, 'system');
    } finally {
      await other.close();
    }
    now = 999;
    expect((await cache.find(store, hashApiKey(key)))?.revokedAt, 'within the TTL: the documented bound').to.equal(null);
    now = 1_000;
    expect((await cache.find(store, hashApiKey(key)))?.revokedAt).to.be.a('string');
  });
});
