/** Back-office actions on orders (admin API and CLI): mark paid, cancel, reject, ship. */
import { ObnovaError } from '../../src-shared/contract/errors.js';
import { queueNotification } from './notifications.js';
import { getOrder, transitionOrder, type Order } from './orders/order-repository.js';
import type { RenewalContext } from './renewal-context.js';

/**
 * Records the payment: awaiting-payment → paid, then on to ready-for-pickup for the existing-media
 * path (the new-media path waits for `cards produce`). Marking a paid order paid again changes nothing.
 */
export async function markPaid(ctx: RenewalContext, orderId: string, actor: string): Promise<Order> {
  let order = await getOrder(ctx.db, orderId);
  if (order.status !== 'awaiting-payment') {
    if (['paid', 'ready-for-pickup', 'card-in-production', 'card-shipped', 'issued', 'completed'].includes(order.status)) return order;
    throw new ObnovaError('ORDER_TRANSITION_INVALID', `order ${orderId} is ${order.status}`, { status: order.status });
  }
  order = await transitionOrder(ctx.db, orderId, 'paid', actor, { from: ['awaiting-payment'], now: ctx.now() });
  if (order.path === 'existing-media') order = await transitionOrder(ctx.db, orderId, 'ready-for-pickup', actor, { from: ['paid'], now: ctx.now() });
  await queueNotification(ctx.db, order, 'payment-received', ctx.now());
  return order;
}

/** Any other checked transition (cancel, reject, expire, ship, deliver). */
export async function moveOrder(ctx: RenewalContext, orderId: string, to: Order['status'], actor: string): Promise<Order> {
  const order = await transitionOrder(ctx.db, orderId, to, actor, { now: ctx.now() });
  if (to === 'card-shipped') await queueNotification(ctx.db, order, 'card-shipped', ctx.now());
  return order;
}

/** Orders still unpaid after their due date become `expired` (run by `obnova-ca orders expire`, e.g. daily). */
export async function expireOverdue(ctx: RenewalContext, actor: string): Promise<string[]> {
  const now = ctx.now();
  const due = await ctx.db.selectFrom('renewal_orders').select('id').where('status', '=', 'awaiting-payment').where('due_at', '<', now.toISOString()).execute();
  const expired: string[] = [];
  for (const { id } of due) {
    try {
      await transitionOrder(ctx.db, id, 'expired', actor, { from: ['awaiting-payment'], now });
      expired.push(id);
    } catch (error) {
      // Paid in the meantime (another instance or an import): leave it.
      if (!(error instanceof ObnovaError && error.code === 'ORDER_TRANSITION_INVALID')) throw error;
    }
  }
  return expired;
}
