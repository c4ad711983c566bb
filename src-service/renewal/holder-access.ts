/** Bearer-token access to an order: status and timeline, the invoice PDF, and the "installed" confirmation. */
import { createHash, timingSafeEqual } from 'node:crypto';
import { ObnovaError } from '../../src-shared/contract/errors.js';
import type { OrderView } from '../../src-shared/contract/protocol/order.js';
import { invoiceView } from './invoice-view.js';
import { getOrder, orderTimeline, transitionOrder, type Order } from './orders/order-repository.js';
import type { RenewalContext } from './renewal-context.js';

/** The order if `token` is its access token; RENEWAL_UNAUTHORIZED otherwise (also for an unknown id, so ids cannot be probed). */
export async function authorizedOrder(ctx: RenewalContext, orderId: string, token: string | undefined): Promise<Order> {
  let order: Order;
  try {
    order = await getOrder(ctx.db, orderId);
  } catch (error) {
    if (error instanceof ObnovaError && error.code === 'ORDER_NOT_FOUND') throw new ObnovaError('RENEWAL_UNAUTHORIZED', 'unknown order or wrong access token');
    throw error;
  }
  const given = createHash('sha256').update(token ?? '').digest();
  const stored = Buffer.from(order.accessTokenSha256, 'hex');
  if (!token || stored.length !== given.length || !timingSafeEqual(given, stored)) {
    throw new ObnovaError('RENEWAL_UNAUTHORIZED', 'unknown order or wrong access token');
  }
  return order;
}

/** Status, timeline and invoice. */
export async function orderView(ctx: RenewalContext, order: Order): Promise<OrderView> {
  return {
    orderId: order.id,
    status: order.status,
    path: order.path,
    createdAt: order.createdAt,
    timeline: await orderTimeline(ctx.db, order.id),
    invoice: invoiceView(ctx.policy, order),
    certificateSerial: order.newCertificateSerial,
  };
}

/** The app confirms the new certificate is on the card: issued → completed (repeating it is harmless). */
export async function confirmInstalled(ctx: RenewalContext, order: Order, serial: string): Promise<Order> {
  if (!order.newCertificateSerial || order.newCertificateSerial !== serial.toLowerCase()) {
    throw new ObnovaError('INPUT_INVALID', `certificate ${serial} is not the one issued for order ${order.id}`);
  }
  if (order.status === 'completed') return order;
  return transitionOrder(ctx.db, order.id, 'completed', `holder:${order.certificateSerial}`, { from: ['issued'], now: ctx.now() });
}
