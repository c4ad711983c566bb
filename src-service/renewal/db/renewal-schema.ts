/** Kysely types of the renewal tables (migration 0002), joined with the CA's own. */
import type { Generated, Kysely } from 'kysely';
import type { OrderStatus } from '../../../src-shared/contract/protocol/order.js';
import type { RenewalPath } from '../../../src-shared/contract/protocol/policy.js';
import type { Bytes, Database } from '../../db/schema.js';

export interface RenewalChallengesTable {
  nonce: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  used_by: string | null;
}

export interface RenewalOrdersTable {
  id: string;
  market: string;
  certificate_serial: string;
  open_key: string | null;
  holder_id: string;
  card_id: string | null;
  path: RenewalPath;
  status: OrderStatus;
  email: string;
  locale: string;
  billing: string;
  document_sha256: string;
  signed_order: Bytes;
  access_token_sha256: string;
  invoice_number: string;
  reference: string;
  currency: string;
  vat_basis_points: number;
  /** bigint columns come back as strings from pg. */
  net: number | string;
  vat: number | string;
  gross: number | string;
  issued_at: string;
  due_at: string;
  created_at: string;
  updated_at: string;
  pickup_spki_sha256: string | null;
  pickup_claimed_at: string | null;
  new_certificate_serial: string | null;
}

export interface RenewalOrderEventsTable {
  id: Generated<number>;
  order_id: string;
  status: OrderStatus;
  at: string;
  actor: string;
}

export interface RenewalPaymentsTable {
  id: Generated<number>;
  entry_key: string;
  order_id: string | null;
  reference: string | null;
  amount: number | string;
  currency: string;
  booked_at: string | null;
  outcome: 'matched' | 'unmatched' | 'amount-mismatch' | 'not-payable';
  imported_at: string;
}

export interface RenewalNotificationsTable {
  id: Generated<number>;
  order_id: string;
  kind: string;
  locale: string;
  to_address: string;
  subject: string;
  body: string;
  created_at: string;
  sent_at: string | null;
}

export interface RenewalRateLimitsTable {
  bucket: string;
  window_start: number | string;
  hits: number;
}

/** A CMP transaction (migration 0003): `waiting` for certConf, then `confirmed`, `rejected` or `failed`. */
export interface CmpTransactionsTable {
  transaction_id: string;
  old_serial: string | null;
  new_serial: string | null;
  /** Our senderNonce of the last answer: the recipNonce the next request must carry. */
  server_nonce: string | null;
  status: 'waiting' | 'confirmed' | 'rejected' | 'failed';
  created_at: string;
  updated_at: string;
}

export interface RenewalDatabase extends Database {
  renewal_challenges: RenewalChallengesTable;
  renewal_orders: RenewalOrdersTable;
  renewal_order_events: RenewalOrderEventsTable;
  renewal_payments: RenewalPaymentsTable;
  renewal_notifications: RenewalNotificationsTable;
  renewal_rate_limits: RenewalRateLimitsTable;
  cmp_transactions: CmpTransactionsTable;
}

/** The CA's Kysely handle seen with the renewal tables. */
export function renewalDb(db: Kysely<Database>): Kysely<RenewalDatabase> {
  return db as unknown as Kysely<RenewalDatabase>;
}

/** The same handle seen with the CA's tables only, for the CA's repositories. */
export function caDb(db: Kysely<RenewalDatabase>): Kysely<Database> {
  return db as unknown as Kysely<Database>;
}
