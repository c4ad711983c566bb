/** Where a renewal stands, as the five steps the holder sees: Order, Submit, Pay, Receive, Save a copy. */
import type { OrderStatus } from '../../../src-shared/contract/protocol/order.js';

export const renewalSteps = ['order', 'submit', 'pay', 'receive', 'save'] as const;
export type RenewalStep = (typeof renewalSteps)[number];

/** The step an order is at; null once it can go no further (cancelled, expired unpaid, rejected). */
export function stepOfOrder(status: OrderStatus): RenewalStep | null {
  switch (status) {
    case 'awaiting-payment':
      return 'pay';
    case 'paid':
    case 'ready-for-pickup':
    case 'card-in-production':
    case 'card-shipped':
    case 'issued':
      return 'receive';
    case 'completed':
      return 'save';
    default:
      return null;
  }
}
