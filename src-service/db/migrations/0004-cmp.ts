/**
 * CMP key update (RFC 9483 §4.1.3): one row per transactionID, so a transactionID is never
 * reused (transactionIdInUse), a certConf is matched to the nonce and certificate of its kup,
 * and any instance sharing the database can take the confirmation.
 */
import type { Kysely, Migration } from 'kysely';

export function cmpMigration(): Migration {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against the schema as it was, not the current types
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('cmp_transactions')
        .addColumn('transaction_id', 'text', (c) => c.primaryKey())
        .addColumn('old_serial', 'text')
        .addColumn('new_serial', 'text')
        .addColumn('server_nonce', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
    },
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
    async down(db: Kysely<any>) {
      await db.schema.dropTable('cmp_transactions').execute();
    },
  };
}
