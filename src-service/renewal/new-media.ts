/**
 * The new-media path: `cards produce` issues the holder's new certificate onto a new token through
 * the CA's card issuance (new key, new PIN and PUK for the mailer), `cards ship` records dispatch,
 * `cards delivered` closes it as issued.
 */
import { ObnovaError } from '../../src-shared/contract/errors.js';
import { issueOntoCard, type CardIssueResult } from '../ca/card-issuance.js';
import type { KeySpec } from '../hsm/key-spec.js';
import { queueNotification } from './notifications.js';
import { renewalDb } from './db/renewal-schema.js';
import { getOrder, transitionOrder, transitionWithin, type Order } from './orders/order-repository.js';
import type { RenewalContext } from './renewal-context.js';

/** paid → card-in-production with the certificate on a new token labelled `tokenLabel`. */
export async function produceCard(
  ctx: RenewalContext,
  orderId: string,
  options: { module: string; tokenLabel: string; keySpec?: KeySpec; actor: string },
): Promise<{ order: Order; card: CardIssueResult }> {
  const order = await getOrder(ctx.db, orderId);
  if (order.path !== 'new-media') throw new ObnovaError('ORDER_PATH_MISMATCH', `order ${orderId} is on path ${order.path}`);
  if (order.status !== 'paid') throw new ObnovaError(order.status === 'awaiting-payment' ? 'ORDER_NOT_PAID' : 'ORDER_TRANSITION_INVALID', `order ${orderId} is ${order.status}`);
  // The certificate is stored with the order's move to card-in-production, or not at all (order rejected meanwhile).
  const card = await issueOntoCard(ctx.ca, {
    module: options.module,
    tokenLabel: options.tokenLabel,
    holderId: order.holderId,
    keySpec: options.keySpec,
    actor: options.actor,
    orderId,
    along: async (trx, cert) => {
      const extra = { new_certificate_serial: cert.serial };
      await transitionWithin(renewalDb(trx), orderId, 'card-in-production', options.actor, { from: ['paid'], extra, now: ctx.now() });
    },
  });
  return { order: await getOrder(ctx.db, orderId), card };
}

/** card-in-production → card-shipped, with the holder notified. */
export async function shipCard(ctx: RenewalContext, orderId: string, actor: string): Promise<Order> {
  const order = await transitionOrder(ctx.db, orderId, 'card-shipped', actor, { from: ['card-in-production'], now: ctx.now() });
  await queueNotification(ctx.db, order, 'card-shipped', ctx.now());
  return order;
}

/** card-shipped → issued (delivery confirmed). */
export async function cardDelivered(ctx: RenewalContext, orderId: string, actor: string): Promise<Order> {
  return transitionOrder(ctx.db, orderId, 'issued', actor, { from: ['card-shipped'], now: ctx.now() });
}
