/**
 * A small LRU of API-key records by key hash, in front of the store's lookup. Profiling the
 * express server (README, Measured) put the per-request `findApiKeyByHash` (a SQLite read in WAL
 * mode: a read transaction and its file locks on every request) at roughly a tenth of a scored
 * request's server CPU; an app sends the same key on every request.
 *
 * Revocation: `revokeApiKey` (the REST route) clears the cache of its store, so in this process a
 * revoked key fails on its very next request. Another process can revoke in the same SQLite file
 * (`fedrec keys revoke --db`), which this process cannot hear of; an entry is therefore trusted
 * for at most `ttlMs` (1 s) after it was read, and a key revoked elsewhere fails within that bound.
 * Only keys the store knows are cached (an unknown key is looked up each time, so a key created a
 * moment ago works at once, and guessed keys cannot fill the cache); a revoked record is cached
 * like any other and still refused.
 */
import type { ApiKeyRecord, FedrecStore } from '../store/index.ts';

export interface KeyCacheOptions {
  /** Entries kept (least recently used dropped first). */
  capacity?: number;
  /** How long an entry is trusted without reading the store again, ms. */
  ttlMs?: number;
  /** Monotonic clock, ms (tests pass their own). */
  now?: () => number;
}

export class KeyCache {
  private readonly entries = new Map<string, { record: ApiKeyRecord; readAt: number }>();
  private readonly capacity: number;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(options: KeyCacheOptions = {}) {
    this.capacity = options.capacity ?? 1_024;
    this.ttlMs = options.ttlMs ?? 1_000;
    this.now = options.now ?? (() => performance.now());
  }

  /** The record for `keyHash`, from the cache while fresh, else from `store` (then cached if found). */
  async find(store: Pick<FedrecStore, 'findApiKeyByHash'>, keyHash: string): Promise<ApiKeyRecord | undefined> {
    const hit = this.entries.get(keyHash);
    const now = this.now();
    if (hit && now - hit.readAt < this.ttlMs) {
      // Map keeps insertion order: re-inserting makes this the most recently used.
      this.entries.delete(keyHash);
      this.entries.set(keyHash, hit);
      return hit.record;
    }
    this.entries.delete(keyHash);
    const record = await store.findApiKeyByHash(keyHash);
    if (record) {
      this.entries.set(keyHash, { record, readAt: now });
      if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    }
    return record;
  }

  /** Forgets every entry (a key was revoked). */
  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

const caches = new WeakMap<object, KeyCache>();

/** The cache of one store (one per store object, so tests' stores never share entries). */
export function keyCacheOf(store: object): KeyCache {
  let cache = caches.get(store);
  if (!cache) caches.set(store, (cache = new KeyCache()));
  return cache;
}
