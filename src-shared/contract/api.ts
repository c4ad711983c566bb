/**
 * window.obnova: one named method per contract call and one subscriber per event,
 * built once from the contract over a transport (Electron IPC in the preload, HTTP in web mode).
 */
import type { Result } from './errors.js';
import { calls, callNames, type CallInput, type CallName, type CallOutput } from './calls.js';
import { events, eventNames, type EventName, type EventPayload } from './events.js';

export interface Transport {
  invoke(call: CallName, input: unknown): Promise<Result<unknown>>;
  subscribe(event: EventName, listener: (payload: unknown) => void): () => void;
}

type CallMethods = {
  [C in CallName as (typeof calls)[C]['method']]: (input: CallInput<C>) => Promise<Result<CallOutput<C>>>;
};
type EventMethods = {
  [E in EventName as (typeof events)[E]['method']]: (listener: (payload: EventPayload<E>) => void) => () => void;
};
export type ObnovaApi = Readonly<CallMethods & EventMethods>;

export function createObnovaApi(transport: Transport): ObnovaApi {
  const api: Record<string, unknown> = {};
  for (const name of callNames) {
    api[calls[name].method] = (input: unknown) => transport.invoke(name, input ?? {});
  }
  for (const name of eventNames) {
    api[events[name].method] = (listener: (payload: unknown) => void) => transport.subscribe(name, listener);
  }
  return Object.freeze(api) as unknown as ObnovaApi;
}
