/**
 * The contract Transport over web mode's loopback bridge (docs/web-mode.md): calls are
 * `POST /bridge/call/<name>`, events one shared `GET /bridge/events` stream read with fetch.
 */
import { z } from 'zod';
import {
  events,
  isEventName,
  resultSchema,
  type AppError,
  type CallName,
  type ErrorCode,
  type ErrorDetails,
  type EventName,
  type Result,
  type Transport,
} from '../../../src-shared/contract/index.js';
import { SseParser } from './sse-parser.js';

export interface WebTransportOptions {
  fetch: typeof fetch;
  /** '' in the page (same origin); an absolute origin in tests. */
  baseUrl: string;
  /** Null when the page was opened without `#token=`; calls then fail with BRIDGE_UNAUTHORIZED. */
  secret: string | null;
  /** Reconnect delays for the event stream: doubles from initial to max, reset once connected. */
  reconnectInitialMs?: number;
  reconnectMaxMs?: number;
  /** Where listener exceptions and stream problems go; they must not stop the stream. */
  onProblem?: (problem: unknown) => void;
}

const envelope = resultSchema(z.unknown());

function failure(code: ErrorCode, message: string, details?: ErrorDetails): Result<never> {
  const error: AppError = details ? { code, message, details } : { code, message };
  return { ok: false, error };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}

/** A Transport for createObnovaApi that speaks the bridge protocol. */
export function createWebTransport(options: WebTransportOptions): Transport {
  const { baseUrl, secret } = options;
  const doFetch = options.fetch;
  const initialDelay = options.reconnectInitialMs ?? 1000;
  const maxDelay = options.reconnectMaxMs ?? 30_000;
  const report = options.onProblem ?? ((problem: unknown) => console.warn('obnova bridge:', problem));
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  let stream: AbortController | undefined;

  async function invoke(call: CallName, input: unknown): Promise<Result<unknown>> {
    if (!secret) return failure('BRIDGE_UNAUTHORIZED', 'no bridge secret: open the address web mode printed');
    let response: Response;
    try {
      response = await doFetch(`${baseUrl}/bridge/call/${encodeURIComponent(call)}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(input ?? {}),
        credentials: 'omit',
      });
    } catch {
      return failure('BRIDGE_UNAVAILABLE', 'the bridge did not answer');
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      body = undefined;
    }
    const parsed = envelope.safeParse(body);
    if (parsed.success) return parsed.data as Result<unknown>;
    // A proxy or a dying server answers without a Result: for the holder that is "not responding".
    if (response.status >= 500) return failure('BRIDGE_UNAVAILABLE', `the bridge answered HTTP ${response.status}`, { status: response.status });
    return failure('INTERNAL', `the bridge answered HTTP ${response.status} without a result`, { status: response.status });
  }

  function dispatch(name: string, data: string): void {
    if (!isEventName(name)) return;
    let payload: unknown;
    try {
      payload = events[name].payload.parse(JSON.parse(data));
    } catch (error) {
      report(error);
      return;
    }
    for (const listener of [...(listeners.get(name) ?? [])]) {
      try {
        listener(payload);
      } catch (error) {
        report(error);
      }
    }
  }

  async function readStream(signal: AbortSignal): Promise<void> {
    let delay = initialDelay;
    while (!signal.aborted) {
      try {
        const response = await doFetch(`${baseUrl}/bridge/events`, {
          headers: { Authorization: `Bearer ${secret ?? ''}`, Accept: 'text/event-stream' },
          credentials: 'omit',
          signal,
        });
        // A wrong secret will not become right by retrying.
        if (response.status === 401) {
          report(new Error('bridge refused the event stream (401)'));
          return;
        }
        if (!response.ok || !response.body) throw new Error(`event stream answered HTTP ${response.status}`);
        delay = initialDelay;
        const reader = response.body.getReader();
        const decoder = new TextDecoder();
        const parser = new SseParser();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          for (const message of parser.push(decoder.decode(value, { stream: true }))) dispatch(message.event, message.data);
        }
      } catch (error) {
        if (signal.aborted) return;
        report(error);
      }
      await sleep(delay, signal);
      delay = Math.min(delay * 2, maxDelay);
    }
  }

  function subscribe(event: EventName, listener: (payload: unknown) => void): () => void {
    let set = listeners.get(event);
    if (!set) {
      set = new Set();
      listeners.set(event, set);
    }
    // A wrapper per subscription, so subscribing the same function twice needs two unsubscribes.
    const wrapped = (payload: unknown): void => listener(payload);
    set.add(wrapped);
    if (!stream && secret) {
      stream = new AbortController();
      void readStream(stream.signal);
    }
    return () => {
      set.delete(wrapped);
      const remaining = [...listeners.values()].reduce((n, s) => n + s.size, 0);
      if (remaining === 0 && stream) {
        stream.abort();
        stream = undefined;
      }
    };
  }

  return { invoke, subscribe };
}
