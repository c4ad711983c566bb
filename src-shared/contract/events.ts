/** Events pushed from the main process to the renderer (IPC) or browser (bridge SSE). */
import { z } from 'zod';
import { receiveProgressSchema, serviceWaitSchema } from './schemas/renewal-receive.js';

export const events = {
  'tokens.changed': {
    method: 'onTokensChanged',
    payload: z.object({ at: z.iso.datetime() }),
  },
  'renewal.progress': {
    method: 'onRenewalProgress',
    payload: receiveProgressSchema,
  },
  /** A renewal service call waits to try again (network trouble, 429/503 with Retry-After). */
  'renewal.waiting': {
    method: 'onRenewalWaiting',
    payload: serviceWaitSchema,
  },
  /** An obnova:// link was opened (from the CA's e-mail); it only chooses what to show. */
  'app.link-opened': {
    method: 'onLinkOpened',
    payload: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('order'), orderId: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/) }),
      z.object({ kind: z.literal('renew') }),
    ]),
  },
} as const satisfies Record<string, { method: string; payload: z.ZodType }>;

export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]['payload']>;
export const eventNames = Object.keys(events) as EventName[];

export function isEventName(name: string): name is EventName {
  return Object.prototype.hasOwnProperty.call(events, name);
}

/** IPC channel that carries one event kind. Kept apart from call channels. */
export const eventChannel = (name: EventName): string => `event:${name}`;
