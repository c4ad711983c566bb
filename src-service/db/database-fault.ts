/**
 * Driver errors that mean "the database is away or busy right now", as stable codes: a dropped or
 * refused PostgreSQL connection becomes CA_DATABASE_UNAVAILABLE and a SQLite write lock held by
 * another process CA_DATABASE_BUSY — both 503 with Retry-After, never a 500, because nothing was
 * changed and the same request can simply be repeated.
 */
import { ObnovaError } from '../../src-shared/contract/errors.js';

/** Seconds a client should wait before repeating the request. */
const retryAfterUnavailable = 5;
const retryAfterBusy = 1;

/** SQLSTATE classes and codes of PostgreSQL that mean the connection, not the statement, failed. */
function isPostgresConnectionState(code: string): boolean {
  return (
    code.startsWith('08') || // connection exception
    code === '57P01' || // admin_shutdown (pg_terminate_backend, restart)
    code === '57P02' || // crash_shutdown
    code === '57P03' || // cannot_connect_now (starting up, recovery)
    code === '53300' || // too_many_connections
    code === '55000' // object_not_in_prerequisite_state: database not accepting connections
  );
}

const socketCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

const pgConnectionMessages = [
  'Connection terminated',
  'Client has encountered a connection error and is not queryable',
  'timeout exceeded when trying to connect',
  'Client was closed and is not queryable',
];

function unavailable(cause: Error): ObnovaError {
  return new ObnovaError('CA_DATABASE_UNAVAILABLE', 'the database connection failed', { retryAfter: retryAfterUnavailable }, { cause });
}

/** The stable error for a database fault, or null when `error` is something else. */
export function databaseFault(error: unknown): ObnovaError | null {
  if (error instanceof ObnovaError) return null;
  if (!(error instanceof Error)) return null;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
      return new ObnovaError('CA_DATABASE_BUSY', 'the database is locked by another writer', { retryAfter: retryAfterBusy }, { cause: error });
    }
    if (socketCodes.has(code) || (/^[0-9A-Z]{5}$/.test(code) && isPostgresConnectionState(code))) return unavailable(error);
  }
  if (pgConnectionMessages.some((m) => error.message.startsWith(m))) return unavailable(error);
  // AggregateError from net.connect when every address refused.
  if (error instanceof AggregateError && error.errors.some((e) => databaseFault(e)?.code === 'CA_DATABASE_UNAVAILABLE')) return unavailable(error);
  return null;
}
