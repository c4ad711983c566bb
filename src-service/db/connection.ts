/** Opens the database named by URL: `sqlite:PATH` (default, better-sqlite3) or `postgres://…` (pg). */
import { chmodSync, closeSync, existsSync, openSync } from 'node:fs';
import Sqlite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { ObnovaError } from '../../src-shared/contract/errors.js';
import type { Database } from './schema.js';

export type DialectName = 'sqlite' | 'postgres';

export interface DatabaseHandle {
  db: Kysely<Database>;
  dialect: DialectName;
}

/**
 * The database holds personal numbers and addresses: owner-only (0600). SQLite creates its -wal and
 * -shm files with the database file's mode, so creating that file 0600 first covers them too; files
 * left world-readable by an older version are tightened as well.
 */
function ownerOnly(path: string): void {
  closeSync(openSync(path, 'a', 0o600));
  for (const file of [path, `${path}-wal`, `${path}-shm`]) if (existsSync(file)) chmodSync(file, 0o600);
}

/** One stderr line per lost PostgreSQL connection: its SQLSTATE or socket code, never the URL (it may hold a password). */
function logConnectionError(error: Error): void {
  const code = (error as { code?: unknown }).code;
  process.stderr.write(`obnova-ca: database connection lost (${typeof code === 'string' ? code : error.message.slice(0, 80)}); reconnecting on the next request\n`);
}

export interface DatabaseOptions {
  /**
   * How long a SQLite statement waits for another process's write lock. better-sqlite3 waits
   * synchronously, so in the server this is short (the request then gets 503 CA_DATABASE_BUSY with
   * Retry-After, and no other request stalls); the CLI can afford to wait.
   */
  sqliteBusyTimeoutMs?: number;
  onConnectionError?: (error: Error) => void;
}

/** A Kysely instance for the URL; the caller destroys it. */
export function openDatabase(url: string, options: DatabaseOptions = {}): DatabaseHandle {
  const onConnectionError = options.onConnectionError ?? logConnectionError;
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    if (!path) throw new ObnovaError('CA_DATABASE_URL_INVALID', 'sqlite URL has no path', { url });
    if (path !== ':memory:') ownerOnly(path);
    const database = new Sqlite(path);
    // WAL lets the CLI revoke while the server reads; the busy timeout rides out short write locks.
    database.pragma('journal_mode = WAL');
    database.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.sqliteBusyTimeoutMs ?? 5000))}`);
    database.pragma('foreign_keys = ON');
    return { db: new Kysely<Database>({ dialect: new SqliteDialect({ database }) }), dialect: 'sqlite' };
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    // A bounded connect wait: with the database away, requests fail fast (503) instead of queueing.
    const pool = new pg.Pool({ connectionString: url, max: 5, connectionTimeoutMillis: 5_000 });
    // An idle or checked-out client whose backend goes away (restart, failover, pg_terminate_backend)
    // emits 'error'; unheard, that is an uncaught exception that ends `serve`. The pool drops the
    // broken client, the query in flight fails (and becomes CA_DATABASE_UNAVAILABLE), the next one reconnects.
    const report = (error: Error) => onConnectionError(error);
    pool.on('error', report);
    pool.on('connect', (client) => client.on('error', report));
    return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), dialect: 'postgres' };
  }
  throw new ObnovaError('CA_DATABASE_URL_INVALID', 'database URL must start with sqlite: or postgres://', { scheme: url.split(':')[0] ?? '' });
}
