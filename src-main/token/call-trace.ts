/**
 * An opt-in trace of the PKCS#11 calls Obnova makes — function, return value, start time, duration, library —
 * taken inside the process, at the binding: every C_* method of a pkcs11js instance is shadowed on that
 * instance before the library is loaded. graphene's Module, Slot, Session and object classes all call
 * through the one `lib` they were given, and so does our own code (module.lib, CardSession.lib), so one
 * wrap sees every call, on every platform, in the CLI and in the app alike.
 *
 * Nothing of a call's arguments or results is kept — not even their sizes — so no PIN, PUK, signature or
 * key material can be in a trace (OpenSC's pkcs11-spy, by contrast, writes C_Login's PIN in clear).
 */
import type { PKCS11 } from 'pkcs11js';
import { traceRvOf } from './pkcs11-errors.js';

/** One traced call, as a line of a trace file (JSON lines). */
export interface TraceEntry {
  /** Order in which the calls started, across every module of the trace. */
  seq: number;
  /** The PKCS#11 function (C_Sign for pkcs11js's C_SignAsync too; C_GetFunctionList for loading the library). */
  fn: string;
  /** CKR_* name; the binding's error name (NativeError, TypeError) when it failed without a return value; null while running. */
  rv: string | null;
  startedAt: string;
  /** Milliseconds from the call to its return (for *Async calls: until the promise settled); null while running. */
  durationMs: number | null;
  /** The library file the call went to. */
  module: string;
  /** Set when the call ran off the main thread: on libuv's pool (pkcs11js *Async) or in a PIN-pad worker. */
  offThread?: 'libuv' | 'worker';
}

/** Where traced calls go. */
export interface TraceSink {
  /** A call starts; the returned function is called once with its result (CKR_* name or error name). */
  begin(call: Pick<TraceEntry, 'fn' | 'module' | 'offThread'>): (rv: string) => void;
}

/**
 * A TraceSink that hands each call on (`onEntry`) once it and every call started before it have ended,
 * so entries come out in start order while only the calls still running are held back; with `keep`
 * (the default) it also keeps them all for entries().
 */
export class CallTrace implements TraceSink {
  private readonly kept: TraceEntry[] = [];
  /** Begun and not yet handed on, in start order; `done` once the call ended. */
  private readonly waiting: Array<{ entry: TraceEntry; done: boolean }> = [];
  private count = 0;
  private stopped = false;

  constructor(private readonly options: { onEntry?: (entry: TraceEntry) => void; keep?: boolean } = {}) {}

  begin(call: Pick<TraceEntry, 'fn' | 'module' | 'offThread'>): (rv: string) => void {
    if (this.stopped) return () => undefined;
    const start = performance.now();
    this.count += 1;
    const entry: TraceEntry = { seq: this.count, fn: call.fn, rv: null, startedAt: new Date(performance.timeOrigin + start).toISOString(), durationMs: null, module: call.module };
    if (call.offThread) entry.offThread = call.offThread;
    const slot = { entry, done: false };
    this.waiting.push(slot);
    return (rv) => {
      if (slot.done || this.stopped) return;
      slot.done = true;
      entry.rv = rv;
      entry.durationMs = Math.round((performance.now() - start) * 1000) / 1000;
      this.release(false);
    };
  }

  private release(all: boolean): void {
    while (this.waiting.length > 0 && (all || this.waiting[0]!.done)) {
      const { entry } = this.waiting.shift()!;
      if (this.options.keep !== false) this.kept.push(entry);
      this.options.onEntry?.({ ...entry });
    }
  }

  /** Ends the trace: calls still running are handed on as they are (rv and durationMs null); later calls are not traced. */
  stop(): void {
    this.release(true);
    this.stopped = true;
  }

  /** How many calls began while tracing. */
  get size(): number {
    return this.count;
  }

  /** The kept calls and those not handed on yet, in start order; calls still running have rv and durationMs null. */
  entries(): TraceEntry[] {
    return [...this.kept, ...this.waiting.map((slot) => slot.entry)].map((entry) => ({ ...entry }));
  }
}

/** Which sink and library name each traced binding reports to (for calls made on its behalf elsewhere). */
const traced = new WeakMap<PKCS11, { sink: TraceSink; module: string }>();

const isCallbackName = (name: string): boolean => name.endsWith('Callback');
const isAsyncName = (name: string): boolean => name.endsWith('Async');
const pkcs11Name = (name: string): string => name.replace(/(Async|Callback)$/, '');

/** Every C_* method the instance answers to (pkcs11js puts most on the instance, a few on its class). */
function methodNames(lib: PKCS11): string[] {
  const names = new Set<string>();
  for (let o: object | null = lib; o && o !== Object.prototype; o = Object.getPrototypeOf(o) as object | null) {
    for (const name of Object.getOwnPropertyNames(o)) if (name.startsWith('C_') && typeof (lib as unknown as Record<string, unknown>)[name] === 'function') names.add(name);
  }
  return [...names];
}

/**
 * Shadows the C_* methods (and `load`, whose only PKCS#11 call is C_GetFunctionList) of `lib` so that
 * each call is reported to `sink`. Call it before lib.load(). pkcs11js's C_Sign(…, callback) forwards
 * to this.C_SignCallback: such a call nested in another traced call is the same PKCS#11 call, counted once.
 */
export function traceBinding(lib: PKCS11, sink: TraceSink, module: string): void {
  const target = lib as unknown as Record<string, (...args: unknown[]) => unknown>;
  let depth = 0;
  const wrap = (name: string, fn: string): void => {
    const original = target[name]!;
    target[name] = function (this: unknown, ...args: unknown[]): unknown {
      if (depth > 0) return original.apply(this, args);
      const offThread = isAsyncName(name) || isCallbackName(name) || typeof args[args.length - 1] === 'function' ? 'libuv' : undefined;
      const end = sink.begin(offThread ? { fn, module, offThread } : { fn, module });
      const last = args.length - 1;
      if (offThread && typeof args[last] === 'function') {
        // Callback style: the call ends when pkcs11js calls back (error first).
        const callback = args[last] as (error: unknown, ...rest: unknown[]) => unknown;
        args[last] = (error: unknown, ...rest: unknown[]) => {
          end(error ? traceRvOf(error) : 'CKR_OK');
          return callback(error, ...rest);
        };
      }
      depth += 1;
      let result: unknown;
      try {
        result = original.apply(this, args);
      } catch (error) {
        end(traceRvOf(error));
        throw error;
      } finally {
        depth -= 1;
      }
      if (result instanceof Promise) {
        return result.then(
          (value: unknown) => {
            end('CKR_OK');
            return value;
          },
          (error: unknown) => {
            end(traceRvOf(error));
            throw error;
          },
        );
      }
      if (!(offThread && typeof args[last] === 'function')) end('CKR_OK');
      return result;
    };
  };
  for (const name of methodNames(lib)) wrap(name, pkcs11Name(name));
  wrap('load', 'C_GetFunctionList');
  traced.set(lib, { sink, module });
}

/**
 * Records `run` — a PKCS#11 call made for `lib` on a worker's own binding (pin-off-thread.ts) — as one
 * call of `lib`'s trace, when `lib` is traced. The worker's own loading and C_Initialize are not listed.
 */
export async function traceOffThread<T>(lib: PKCS11, fn: string, run: () => Promise<T>): Promise<T> {
  const trace = traced.get(lib);
  if (!trace) return run();
  const end = trace.sink.begin({ fn, module: trace.module, offThread: 'worker' });
  try {
    const value = await run();
    end('CKR_OK');
    return value;
  } catch (error) {
    end(traceRvOf(error));
    throw error;
  }
}
