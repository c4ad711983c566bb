import pino from 'pino';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { callNames } from '../../../src-shared/contract/index.js';
import type { Handlers } from '../../../src-main/ipc/dispatch.js';

type Invoke = (event: unknown, input: unknown) => Promise<{ ok: boolean; error?: { code: string } }>;

// electron's ipcMain, recording the handlers registerIpc installs.
const ipc = vi.hoisted(() => ({ handlers: new Map<string, Invoke>() }));
vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, handler: Invoke) => void ipc.handlers.set(channel, handler),
    removeHandler: (channel: string) => void ipc.handlers.delete(channel),
  },
}));

const rendererUrl = 'file:///opt/Obnova/resources/app.asar/out/renderer/index.html';
const mainFrame = { url: rendererUrl };
const sender = { mainFrame };

describe('registerIpc', () => {
  const called: string[] = [];
  let unregister: () => void;

  beforeAll(async () => {
    const { registerIpc } = await import('../../../src-main/shell/ipc-handle.js');
    const handlers = Object.fromEntries(
      callNames.map((name) => [name, async () => (called.push(name), {})]),
    ) as unknown as Handlers;
    unregister = registerIpc(handlers, (_sender, frameUrl) => frameUrl === rendererUrl, pino({ level: 'silent' }));
  });

  it('installs exactly one handler per contract call', () => {
    expect([...ipc.handlers.keys()].sort()).toEqual([...callNames].sort());
  });

  it('drops a call from a page at another address', async () => {
    const foreign = { url: 'https://attacker.example/' };
    const result = await ipc.handlers.get('tokens.list')?.({ sender: { mainFrame: foreign }, senderFrame: foreign }, {});
    expect(result).toMatchObject({ ok: false, error: { code: 'BRIDGE_UNAUTHORIZED' } });
    expect(called).toEqual([]);
  });

  it('drops a call from a subframe, even one at our own address', async () => {
    const subframe = { url: rendererUrl };
    const result = await ipc.handlers.get('tokens.list')?.({ sender, senderFrame: subframe }, {});
    expect(result).toMatchObject({ ok: false, error: { code: 'BRIDGE_UNAUTHORIZED' } });
    expect(called).toEqual([]);
  });

  it('drops a call whose frame is already gone', async () => {
    const result = await ipc.handlers.get('tokens.list')?.({ sender, senderFrame: null }, {});
    expect(result).toMatchObject({ ok: false, error: { code: 'BRIDGE_UNAUTHORIZED' } });
    expect(called).toEqual([]);
  });

  it("passes a call from our window's top frame to its handler", async () => {
    await ipc.handlers.get('tokens.list')?.({ sender, senderFrame: mainFrame }, {});
    expect(called).toEqual(['tokens.list']);
  });

  it('removes every handler when unregistered', () => {
    unregister();
    expect(ipc.handlers.size).toBe(0);
  });
});
