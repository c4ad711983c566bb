/**
 * The order state machine, pure: which status may follow which. Every transition the service
 * makes goes through {@link assertTransition} and is audited by the repository.
 */
import { ObnovaError } from '../../../src-shared/contract/errors.js';
import type { OrderStatus } from '../../../src-shared/contract/protocol/order.js';
import type { RenewalPath } from '../../../src-shared/contract/protocol/policy.js';

const next: Record<OrderStatus, readonly OrderStatus[]> = {
  'awaiting-payment': ['paid', 'cancelled', 'expired', 'rejected'],
  paid: ['ready-for-pickup', 'card-in-production', 'rejected'],
  'ready-for-pickup': ['issued', 'rejected'],
  'card-in-production': ['card-shipped', 'rejected'],
  'card-shipped': ['issued'],
  issued: ['completed'],
  completed: [],
  cancelled: [],
  expired: [],
  rejected: [],
};

/** Statuses from which nothing follows. */
export const terminalStatuses: readonly OrderStatus[] = ['completed', 'cancelled', 'expired', 'rejected'];

/** Statuses of an order that still blocks a second order for the same certificate. */
export const openStatuses: readonly OrderStatus[] = ['awaiting-payment', 'paid', 'ready-for-pickup', 'card-in-production', 'card-shipped'];

/** True when `to` may follow `from`. */
export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return next[from].includes(to);
}

/** The path decides the branch after payment: pickup on the existing card, or a new card. */
export function canTransitionOnPath(from: OrderStatus, to: OrderStatus, path: RenewalPath): boolean {
  if (!canTransition(from, to)) return false;
  if (to === 'ready-for-pickup') return path === 'existing-media';
  if (to === 'card-in-production') return path === 'new-media';
  return true;
}

/** Throws ORDER_TRANSITION_INVALID unless `to` may follow `from` on this path. */
export function assertTransition(from: OrderStatus, to: OrderStatus, path: RenewalPath): void {
  if (!canTransitionOnPath(from, to, path)) {
    throw new ObnovaError('ORDER_TRANSITION_INVALID', `an order on path ${path} cannot go from ${from} to ${to}`, { from, to, path });
  }
}

/** Where a paid order goes next on its path. */
export function statusAfterPayment(path: RenewalPath): OrderStatus {
  return path === 'new-media' ? 'card-in-production' : 'ready-for-pickup';
}
