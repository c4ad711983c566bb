import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { runInNewContext } from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { callNames, calls, eventChannel, eventNames, events } from '../../../src-shared/contract/index.js';

const preloadFile = resolve(import.meta.dirname, '../../../out/preload/index.cjs');

type Listener = (event: unknown, payload: unknown) => void;

/** What the built preload did with our fake electron module. */
interface PreloadRun {
  exposed: Map<string, Record<string, unknown>>;
  required: string[];
  invoked: Array<[string, unknown]>;
  listeners: Map<string, Set<Listener>>;
}

/** Runs the shipped preload (out/preload/index.cjs) in a fresh context, as Electron's sandbox would, with a recording electron. */
function runPreload(): PreloadRun {
  const run: PreloadRun = { exposed: new Map(), required: [], invoked: [], listeners: new Map() };
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: Record<string, unknown>) => void run.exposed.set(key, api) },
    ipcRenderer: {
      invoke: async (channel: string, input: unknown) => (run.invoked.push([channel, input]), { ok: true, value: null }),
      on: (channel: string, listener: Listener) => void run.listeners.set(channel, (run.listeners.get(channel) ?? new Set()).add(listener)),
      removeListener: (channel: string, listener: Listener) => void run.listeners.get(channel)?.delete(listener),
    },
  };
  // A sandboxed preload gets only a few modules from require; ours must need nothing but electron.
  const require = (name: string): unknown => {
    run.required.push(name);
    if (name === 'electron') return electron;
    throw new Error(`the sandboxed preload cannot require ${name}`);
  };
  const module = { exports: {} };
  const wrapper = runInNewContext(`(function (exports, require, module) {${readFileSync(preloadFile, 'utf8')}\n})`, {}) as (
    exports: unknown,
    require: (name: string) => unknown,
    module: unknown,
  ) => void;
  wrapper(module.exports, require, module);
  return run;
}

describe('the built preload', () => {
  let run: PreloadRun;
  let api: Record<string, unknown>;

  beforeAll(() => {
    if (!existsSync(preloadFile)) throw new Error('out/preload/index.cjs is missing: run `npm run build` first');
    run = runPreload();
    api = run.exposed.get('obnova') ?? {};
  });

  it('exposes only window.obnova and requires only electron', () => {
    expect([...run.exposed.keys()]).toEqual(['obnova']);
    expect(new Set(run.required)).toEqual(new Set(['electron']));
  });

  it('exposes exactly one method per contract call and per event, nothing generic', () => {
    const expected = [...callNames.map((name) => calls[name].method), ...eventNames.map((name) => events[name].method)].sort();
    expect(Object.keys(api).sort()).toEqual(expected);
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
    for (const generic of ['invoke', 'send', 'sendSync', 'on', 'ipcRenderer', 'require']) expect(api).not.toHaveProperty(generic);
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('sends each call on its own channel', async () => {
    for (const name of callNames) {
      run.invoked.length = 0;
      await (api[calls[name].method] as (input: unknown) => Promise<unknown>)({});
      expect(run.invoked).toEqual([[name, {}]]);
    }
  });

  it('subscribes each event on its own channel and unsubscribes', () => {
    for (const name of eventNames) {
      const payloads: unknown[] = [];
      const off = (api[events[name].method] as (listener: (payload: unknown) => void) => () => void)((payload) => payloads.push(payload));
      const listeners = [...(run.listeners.get(eventChannel(name)) ?? [])];
      expect(listeners).toHaveLength(1);
      listeners[0]?.({}, { sample: true });
      expect(payloads).toEqual([{ sample: true }]);
      off();
      expect(run.listeners.get(eventChannel(name))?.size).toBe(0);
    }
  });
});
