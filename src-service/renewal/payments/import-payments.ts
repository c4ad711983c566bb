/**
 * `payments import FILE`: matches statement credits to orders by payment reference, exactly.
 * A credit with no reference, an unknown reference or a different amount is reported and left
 * for a person; nothing is guessed. Re-importing a statement records nothing twice.
 */
import { normalizeReference } from '../invoice/payment-reference.js';
import { markPaid } from '../admin-actions.js';
import type { RenewalContext } from '../renewal-context.js';
import { readCamt053, type StatementCredit } from './camt053.js';

export interface ImportLine {
  key: string;
  reference: string | null;
  amount: number;
  currency: string;
  orderId: string | null;
  outcome: 'matched' | 'unmatched' | 'amount-mismatch' | 'not-payable' | 'already-imported';
  note: string;
}

/** Imports the statement text; returns one line per credit. */
export async function importPayments(ctx: RenewalContext, xml: string, actor: string): Promise<ImportLine[]> {
  const { credits } = readCamt053(xml);
  const lines: ImportLine[] = [];
  for (const credit of credits) lines.push(await importCredit(ctx, credit, actor));
  return lines;
}

async function importCredit(ctx: RenewalContext, credit: StatementCredit, actor: string): Promise<ImportLine> {
  const base = { key: credit.key, reference: credit.reference, amount: credit.amount, currency: credit.currency };
  const seen = await ctx.db.selectFrom('renewal_payments').select(['order_id', 'outcome']).where('entry_key', '=', credit.key).executeTakeFirst();
  if (seen) return { ...base, orderId: seen.order_id, outcome: 'already-imported', note: `imported before (${seen.outcome})` };

  const reference = credit.reference ? normalizeReference(credit.reference) : null;
  const order = reference ? await ctx.db.selectFrom('renewal_orders').select(['id', 'gross', 'currency', 'status']).where('reference', '=', reference).executeTakeFirst() : undefined;
  let outcome: 'matched' | 'unmatched' | 'amount-mismatch' | 'not-payable';
  let note: string;
  if (!order) {
    outcome = 'unmatched';
    note = reference ? 'no order has this reference' : 'no structured reference';
  } else if (Number(order.gross) !== credit.amount || order.currency !== credit.currency) {
    outcome = 'amount-mismatch';
    note = `invoice is ${Number(order.gross)} ${order.currency}`;
  } else if (order.status !== 'awaiting-payment') {
    outcome = 'not-payable';
    note = `order is ${order.status}`;
  } else {
    outcome = 'matched';
    note = 'marked paid';
  }
  const inserted = await ctx.db
    .insertInto('renewal_payments')
    .values({
      entry_key: credit.key,
      order_id: order?.id ?? null,
      reference,
      amount: credit.amount,
      currency: credit.currency,
      booked_at: credit.bookedAt,
      outcome,
      imported_at: ctx.now().toISOString(),
    })
    .onConflict((oc) => oc.column('entry_key').doNothing())
    .executeTakeFirst();
  // Another importer took this line at the same moment: it does the marking.
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) return { ...base, orderId: order?.id ?? null, outcome: 'already-imported', note: 'imported concurrently' };
  if (outcome === 'matched' && order) await markPaid(ctx, order.id, actor);
  return { ...base, orderId: order?.id ?? null, outcome, note };
}
