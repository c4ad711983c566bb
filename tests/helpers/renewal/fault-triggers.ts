/**
 * Database triggers that stand in for "the process dies right here" during issuance: each aborts
 * the statement that would cross one point of the pickup (storing the certificate, moving the
 * order to issued, queueing the holder's notification), so whatever that transaction had done is
 * interrupted exactly there. SQLite: RAISE(ABORT); PostgreSQL: RAISE EXCEPTION (or a sleep that
 * holds the window open for a concurrent action). Created and dropped on the test's own database.
 */
import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../../../src-service/db/connection.js';

export type IssuancePoint = 'store-certificate' | 'order-issued' | 'notification';

const where: Record<IssuancePoint, { table: string; event: string; when: string }> = {
  'store-certificate': { table: 'certificates', event: 'INSERT', when: "NEW.kind = 'renewal'" },
  'order-issued': { table: 'renewal_orders', event: 'UPDATE', when: "NEW.status = 'issued'" },
  notification: { table: 'renewal_notifications', event: 'INSERT', when: "NEW.kind = 'certificate-issued'" },
};

/** Makes the statement at `point` fail (`action: 'fail'`) or wait `seconds` first (PostgreSQL only). */
export async function injectFault<DB>(db: Kysely<DB>, dialect: DialectName, point: IssuancePoint, action: { fail: true } | { sleepSeconds: number } = { fail: true }): Promise<() => Promise<void>> {
  const { table, event, when } = where[point];
  const name = `fault_${point.replace(/-/g, '_')}`;
  if (dialect === 'sqlite') {
    if (!('fail' in action)) throw new Error('SQLite triggers cannot sleep; hold the window with another connection instead');
    await sql.raw(`CREATE TRIGGER ${name} BEFORE ${event} ON ${table} WHEN ${when} BEGIN SELECT RAISE(ABORT, 'fault injected at ${point}'); END`).execute(db);
    return async () => void (await sql.raw(`DROP TRIGGER IF EXISTS ${name}`).execute(db));
  }
  const body = 'fail' in action ? `RAISE EXCEPTION 'fault injected at ${point}';` : `PERFORM pg_sleep(${action.sleepSeconds}); RETURN NEW;`;
  await sql.raw(`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${body} END $$`).execute(db);
  await sql.raw(`CREATE TRIGGER ${name} BEFORE ${event} ON ${table} FOR EACH ROW WHEN (${when}) EXECUTE FUNCTION ${name}()`).execute(db);
  return async () => {
    await sql.raw(`DROP TRIGGER IF EXISTS ${name} ON ${table}`).execute(db);
    await sql.raw(`DROP FUNCTION IF EXISTS ${name}()`).execute(db);
  };
}
