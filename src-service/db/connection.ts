/** Opens the database named by URL: `sqlite:PATH` (default, better-sqlite3) or `postgres://…` (pg). */
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

/** A Kysely instance for the URL; the caller destroys it. */
export function openDatabase(url: string): DatabaseHandle {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    if (!path) throw new ObnovaError('CA_DATABASE_URL_INVALID', 'sqlite URL has no path', { url });
    const database = new Sqlite(path);
    // WAL lets the CLI revoke while the server reads; the busy timeout rides out short write locks.
    database.pragma('journal_mode = WAL');
    database.pragma('busy_timeout = 5000');
    database.pragma('foreign_keys = ON');
    return { db: new Kysely<Database>({ dialect: new SqliteDialect({ database }) }), dialect: 'sqlite' };
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const pool = new pg.Pool({ connectionString: url, max: 5 });
    return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), dialect: 'postgres' };
  }
  throw new ObnovaError('CA_DATABASE_URL_INVALID', 'database URL must start with sqlite: or postgres://', { scheme: url.split(':')[0] ?? '' });
}
