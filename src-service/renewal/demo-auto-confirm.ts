/**
 * Demo only: marks orders paid a few seconds after they are placed, so `npm run demo` can walk
 * through a renewal without a bank. Off unless `demo.autoConfirmPaymentsAfterMs` is set in
 * obnova-renewal.json, and refused on anything but a loopback listener (never in production).
 */
import { ObnovaError } from '../../src-shared/contract/errors.js';
import { markPaid } from './admin-actions.js';
import type { RenewalContext } from './renewal-context.js';

/** The audit actor of payments this hook confirms. */
export const demoAutoConfirmActor = 'demo:auto-confirm';

/** True for 127.0.0.0/8, ::1 and localhost: the only hosts the demo hook may run on. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  return bare === 'localhost' || bare === '::1' || /^127(\.\d{1,3}){3}$/.test(bare);
}

/** Starts the poller; `stop()` ends it. Throws CA_CONFIG_INVALID when `host` is not loopback. */
export function startDemoAutoConfirm(ctx: RenewalContext, options: { afterMs: number; host: string; pollMs?: number }): { stop(): void; tick(): Promise<string[]> } {
  if (!isLoopbackHost(options.host)) {
    throw new ObnovaError('CA_CONFIG_INVALID', `demo.autoConfirmPaymentsAfterMs is for demos on loopback only; the service listens on ${options.host}`, { host: options.host });
  }
  let running: Promise<string[]> | null = null;
  const tick = async (): Promise<string[]> => {
    const before = new Date(ctx.now().getTime() - options.afterMs).toISOString();
    const due = await ctx.db.selectFrom('renewal_orders').select('id').where('status', '=', 'awaiting-payment').where('created_at', '<=', before).execute();
    const confirmed: string[] = [];
    for (const { id } of due) {
      try {
        await markPaid(ctx, id, demoAutoConfirmActor);
        confirmed.push(id);
      } catch (error) {
        // Cancelled or expired in the meantime: leave it as it is.
        if (!(error instanceof ObnovaError && error.code === 'ORDER_TRANSITION_INVALID')) throw error;
      }
    }
    return confirmed;
  };
  const timer = setInterval(() => {
    if (running) return;
    running = tick()
      .catch(() => [])
      .finally(() => (running = null));
  }, options.pollMs ?? 500);
  timer.unref();
  return { stop: () => clearInterval(timer), tick };
}
