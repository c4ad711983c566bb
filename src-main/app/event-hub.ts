/** Fans out contract events from the main services to every subscriber (IPC windows, bridge SSE clients). */
import type { EventName, EventPayload } from '../../src-shared/contract/index.js';

export type EventListener = <E extends EventName>(name: E, payload: EventPayload<E>) => void;

export class EventHub {
  private readonly listeners = new Set<EventListener>();

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    for (const listener of this.listeners) {
      try {
        listener(name, payload);
      } catch {
        // A broken subscriber (a closed window, a dropped SSE client) must not stop the others.
      }
    }
  }

  get size(): number {
    return this.listeners.size;
  }
}
