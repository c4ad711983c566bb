/** Orders in the database: insert, read, and status changes that are checked, timelined and audited atomically. */
import type { Kysely, Selectable, Updateable } from 'kysely';
import { ObnovaError } from '../../../src-shared/contract/errors.js';
import type { Billing, OrderStatus } from '../../../src-shared/contract/protocol/order.js';
import type { RenewalPath } from '../../../src-shared/contract/protocol/policy.js';
import { appendAudit } from '../../db/audit-log.js';
import { caDb, type RenewalDatabase, type RenewalOrdersTable } from '../db/renewal-schema.js';
import { assertTransition, openStatuses } from './order-states.js';

export interface Order {
  id: string;
  market: string;
  certificateSerial: string;
  holderId: string;
  cardId: string | null;
  path: RenewalPath;
  status: OrderStatus;
  email: string;
  locale: string;
  billing: Billing;
  documentSha256: string;
  accessTokenSha256: string;
  invoiceNumber: string;
  reference: string;
  currency: 'EUR' | 'RSD';
  vatBasisPoints: number;
  net: number;
  vat: number;
  gross: number;
  issuedAt: string;
  dueAt: string;
  createdAt: string;
  pickupSpkiSha256: string | null;
  pickupClaimedAt: string | null;
  newCertificateSerial: string | null;
}

export function toOrder(row: Selectable<RenewalOrdersTable>): Order {
  return {
    id: row.id,
    market: row.market,
    certificateSerial: row.certificate_serial,
    holderId: row.holder_id,
    cardId: row.card_id,
    path: row.path,
    status: row.status,
    email: row.email,
    locale: row.locale,
    billing: JSON.parse(row.billing) as Billing,
    documentSha256: row.document_sha256,
    accessTokenSha256: row.access_token_sha256,
    invoiceNumber: row.invoice_number,
    reference: row.reference,
    currency: row.currency as Order['currency'],
    vatBasisPoints: Number(row.vat_basis_points),
    net: Number(row.net),
    vat: Number(row.vat),
    gross: Number(row.gross),
    issuedAt: row.issued_at,
    dueAt: row.due_at,
    createdAt: row.created_at,
    pickupSpkiSha256: row.pickup_spki_sha256,
    pickupClaimedAt: row.pickup_claimed_at,
    newCertificateSerial: row.new_certificate_serial,
  };
}

/** The order, or ORDER_NOT_FOUND. */
export async function getOrder(db: Kysely<RenewalDatabase>, id: string): Promise<Order> {
  const row = await db.selectFrom('renewal_orders').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new ObnovaError('ORDER_NOT_FOUND', `no order ${id}`, { orderId: id });
  return toOrder(row);
}

/** Orders, newest first, optionally with one status. */
export async function listOrders(db: Kysely<RenewalDatabase>, status?: OrderStatus, limit = 1000): Promise<Order[]> {
  let q = db.selectFrom('renewal_orders').selectAll().orderBy('created_at', 'desc').limit(limit);
  if (status) q = q.where('status', '=', status);
  return (await q.execute()).map(toOrder);
}

/** The open order for a certificate, if any. */
export async function findOpenOrder(db: Kysely<RenewalDatabase>, certificateSerial: string): Promise<Order | null> {
  const row = await db.selectFrom('renewal_orders').selectAll().where('open_key', '=', certificateSerial).executeTakeFirst();
  return row ? toOrder(row) : null;
}

/** Timeline entries in order. */
export async function orderTimeline(db: Kysely<RenewalDatabase>, id: string): Promise<{ status: OrderStatus; at: string }[]> {
  return db.selectFrom('renewal_order_events').select(['status', 'at']).where('order_id', '=', id).orderBy('id').execute();
}

/** Appends a timeline entry and the audit entry for a status (call inside the transaction that sets it). */
export async function recordStatus(db: Kysely<RenewalDatabase>, orderId: string, status: OrderStatus, actor: string, at: Date, details: Record<string, string | number | null> = {}): Promise<void> {
  await db.insertInto('renewal_order_events').values({ order_id: orderId, status, at: at.toISOString(), actor }).execute();
  await appendAudit(caDb(db), { actor, action: 'order.status', subject: orderId, details: { status, ...details } }, at);
}

export interface TransitionOptions {
  from?: OrderStatus[];
  extra?: Updateable<RenewalOrdersTable>;
  now?: Date;
  /** Only while the pickup claim is still this key's (a stale claim taken over by another key loses). */
  claimedBy?: string;
}

/**
 * Moves an order from its current status to `to`, refusing invalid transitions. The UPDATE is
 * conditional on the status read, so two racing changes cannot both apply (the loser gets
 * ORDER_TRANSITION_INVALID). `extra` columns are set in the same statement.
 */
export async function transitionOrder(db: Kysely<RenewalDatabase>, id: string, to: OrderStatus, actor: string, options: TransitionOptions = {}): Promise<Order> {
  await db.transaction().execute((trx) => transitionWithin(trx, id, to, actor, options));
  return getOrder(db, id);
}

/** {@link transitionOrder} inside the caller's transaction (e.g. the one that stores the certificate). */
export async function transitionWithin(trx: Kysely<RenewalDatabase>, id: string, to: OrderStatus, actor: string, options: TransitionOptions = {}): Promise<Order> {
  const now = options.now ?? new Date();
  const order = await getOrder(trx, id);
  if (options.from && !options.from.includes(order.status)) {
    throw new ObnovaError('ORDER_TRANSITION_INVALID', `order ${id} is ${order.status}, expected ${options.from.join('|')}`, { from: order.status, to });
  }
  assertTransition(order.status, to, order.path);
  const stillOpen = openStatuses.includes(to);
  let update = trx
    .updateTable('renewal_orders')
    .set({ ...options.extra, status: to, updated_at: now.toISOString(), ...(stillOpen ? {} : { open_key: null }) })
    .where('id', '=', id)
    .where('status', '=', order.status);
  if (options.claimedBy !== undefined) update = update.where('pickup_spki_sha256', '=', options.claimedBy);
  const result = await update.executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) {
    throw new ObnovaError('ORDER_TRANSITION_INVALID', `order ${id} changed while moving to ${to}`, { to });
  }
  await recordStatus(trx, id, to, actor, now, { from: order.status });
  return getOrder(trx, id);
}
