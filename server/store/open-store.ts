/**
 * The one way the rest of fedrec obtains a store, so choosing a backend stays a configuration
 * question. Today every path is SQLite; a `postgres://` URL is where PostgreSQL would plug in.
 */
import type { FedrecStore } from './fedrec-store.ts';
import { SqliteStore } from './sqlite-store.ts';

/**
 * Opens the store at `path`: a SQLite file (created and migrated if needed) or ':memory:' for a
 * private, throw-away SQLite database.
 * @example const store = openStore('data/fedrec.db'); try { await store.listJobs(); } finally { await store.close(); }
 */
export function openStore(path: string): FedrecStore {
  return new SqliteStore(path);
}
