/**
 * A certificate row names the renewal order it was issued for, and no order has two: the unique
 * index is the database's own guarantee of "exactly one certificate per order", whatever key a
 * retry brings and whichever instance runs it. Certificates issued outside an order keep NULL.
 */
import type { Kysely, Migration } from 'kysely';

export function certificateOrderMigration(): Migration {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against the schema as it was, not the current types
    async up(db: Kysely<any>) {
      await db.schema.alterTable('certificates').addColumn('order_id', 'text').execute();
      await db.schema.createIndex('certificates_order_unique').on('certificates').column('order_id').unique().execute();
    },
  };
}
