/**
 * Maps SQLite's constraint failures onto FedrecError codes. The store checks the common cases
 * itself (with clearer messages); this catches whatever reaches a constraint anyway, such as a
 * race with another process on the same file, so callers only ever see the closed set of codes.
 */
import Database from 'better-sqlite3';
import { FedrecError, type ErrorCode } from '../errors/index.ts';

const codeFor: Record<string, ErrorCode> = {
  SQLITE_CONSTRAINT_PRIMARYKEY: 'conflict',
  SQLITE_CONSTRAINT_UNIQUE: 'conflict',
  SQLITE_CONSTRAINT_FOREIGNKEY: 'not-found',
  SQLITE_CONSTRAINT_CHECK: 'invalid-input',
  SQLITE_CONSTRAINT_NOTNULL: 'invalid-input',
  SQLITE_CONSTRAINT_DATATYPE: 'invalid-input',
  // Another process held the write lock past the busy timeout: worth a retry, not a bug.
  SQLITE_BUSY: 'unavailable',
};

/**
 * Returns a FedrecError for a known SQLite failure, or the thrown value unchanged.
 * @example throw translateSqliteError('createJob', thrown);
 */
export function translateSqliteError(operation: string, thrown: unknown): unknown {
  if (!(thrown instanceof Database.SqliteError)) return thrown;
  const code = codeFor[thrown.code];
  return code ? new FedrecError(code, `${operation}: ${thrown.message}`) : thrown;
}
