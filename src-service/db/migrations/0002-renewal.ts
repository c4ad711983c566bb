/**
 * The renewal service's tables: challenges (single-use nonces), orders with their timeline,
 * payments read from bank statements, the notification outbox, and rate-limit counters —
 * all state lives here so any number of service instances can share one database.
 */
import { sql, type ColumnDefinitionBuilder, type Kysely, type Migration } from 'kysely';
import type { DialectName } from '../connection.js';

export function renewalMigration(dialect: DialectName): Migration {
  const bytes = dialect === 'postgres' ? 'bytea' : 'blob';
  const autoId = (c: ColumnDefinitionBuilder) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement());
  const idType = dialect === 'postgres' ? 'serial' : 'integer';
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against the schema as it was, not the current types
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('renewal_challenges')
        .addColumn('nonce', 'text', (c) => c.primaryKey())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('used_at', 'text')
        .addColumn('used_by', 'text')
        .execute();
      await db.schema
        .createTable('renewal_orders')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('market', 'text', (c) => c.notNull())
        .addColumn('certificate_serial', 'text', (c) => c.notNull())
        // Equals certificate_serial while the order is open, NULL afterwards: one open order per certificate.
        .addColumn('open_key', 'text', (c) => c.unique())
        .addColumn('holder_id', 'text', (c) => c.notNull().references('holders.id'))
        .addColumn('card_id', 'text')
        .addColumn('path', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('locale', 'text', (c) => c.notNull())
        .addColumn('billing', 'text', (c) => c.notNull())
        .addColumn('document_sha256', 'text', (c) => c.notNull())
        .addColumn('signed_order', sql.raw(bytes), (c) => c.notNull())
        .addColumn('access_token_sha256', 'text', (c) => c.notNull())
        .addColumn('invoice_number', 'text', (c) => c.notNull().unique())
        .addColumn('reference', 'text', (c) => c.notNull().unique())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('vat_basis_points', 'integer', (c) => c.notNull())
        .addColumn('net', 'bigint', (c) => c.notNull())
        .addColumn('vat', 'bigint', (c) => c.notNull())
        .addColumn('gross', 'bigint', (c) => c.notNull())
        .addColumn('issued_at', 'text', (c) => c.notNull())
        .addColumn('due_at', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        // Pickup: the first request claims the order for one key; the certificate serial closes the claim.
        .addColumn('pickup_spki_sha256', 'text')
        .addColumn('pickup_claimed_at', 'text')
        .addColumn('new_certificate_serial', 'text')
        .execute();
      await db.schema.createIndex('renewal_orders_status').on('renewal_orders').column('status').execute();
      await db.schema.createIndex('renewal_orders_certificate').on('renewal_orders').column('certificate_serial').execute();
      await db.schema
        .createTable('renewal_order_events')
        .addColumn('id', idType, autoId)
        .addColumn('order_id', 'text', (c) => c.notNull().references('renewal_orders.id'))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('renewal_order_events_order').on('renewal_order_events').column('order_id').execute();
      await db.schema
        .createTable('renewal_payments')
        .addColumn('id', idType, autoId)
        // Statement id + entry reference: importing the same statement twice records nothing new.
        .addColumn('entry_key', 'text', (c) => c.notNull().unique())
        .addColumn('order_id', 'text')
        .addColumn('reference', 'text')
        .addColumn('amount', 'bigint', (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('booked_at', 'text')
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('imported_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('renewal_notifications')
        .addColumn('id', idType, autoId)
        .addColumn('order_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('locale', 'text', (c) => c.notNull())
        .addColumn('to_address', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('sent_at', 'text')
        .execute();
      await db.schema
        .createTable('renewal_rate_limits')
        .addColumn('bucket', 'text', (c) => c.notNull())
        .addColumn('window_start', 'bigint', (c) => c.notNull())
        .addColumn('hits', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('renewal_rate_limits_pk', ['bucket', 'window_start'])
        .execute();
    },
  };
}
