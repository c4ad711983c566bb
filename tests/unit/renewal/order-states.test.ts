import { describe, expect, it } from 'vitest';
import { orderStatusSchema } from '../../../src-shared/contract/protocol/order.js';
import { assertTransition, canTransition, canTransitionOnPath, terminalStatuses } from '../../../src-service/renewal/orders/order-states.js';
import { type ObnovaError } from '../../../src-shared/contract/errors.js';

describe('order state machine', () => {
  it('walks the existing-media path to completed', () => {
    const steps = ['awaiting-payment', 'paid', 'ready-for-pickup', 'issued', 'completed'] as const;
    for (let i = 1; i < steps.length; i++) expect(canTransitionOnPath(steps[i - 1]!, steps[i]!, 'existing-media')).toBe(true);
  });

  it('walks the new-media path through production and shipping', () => {
    const steps = ['awaiting-payment', 'paid', 'card-in-production', 'card-shipped', 'issued', 'completed'] as const;
    for (let i = 1; i < steps.length; i++) expect(canTransitionOnPath(steps[i - 1]!, steps[i]!, 'new-media')).toBe(true);
  });

  it('keeps the branches to their path', () => {
    expect(canTransitionOnPath('paid', 'card-in-production', 'existing-media')).toBe(false);
    expect(canTransitionOnPath('paid', 'ready-for-pickup', 'new-media')).toBe(false);
  });

  it('lets nothing follow a terminal status', () => {
    for (const from of terminalStatuses) for (const to of orderStatusSchema.options) expect(canTransition(from, to)).toBe(false);
  });

  it('refuses skipping payment, going back, and cancelling after payment, with a stable code', () => {
    for (const [from, to] of [
      ['awaiting-payment', 'ready-for-pickup'],
      ['awaiting-payment', 'issued'],
      ['issued', 'paid'],
      ['paid', 'cancelled'],
      ['ready-for-pickup', 'awaiting-payment'],
    ] as const) {
      let code = '';
      try {
        assertTransition(from, to, 'existing-media');
      } catch (error) {
        code = (error as ObnovaError).code;
      }
      expect(code, `${from} → ${to}`).toBe('ORDER_TRANSITION_INVALID');
    }
  });
});
