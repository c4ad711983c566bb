/**
 * The only place that touches ipcMain: one handler per contract call, each dropping messages
 * that do not come from our own window's top frame.
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { callNames, eventChannel, type Result } from '../../src-shared/contract/index.js';
import type { EventHub } from '../app/event-hub.js';
import type { Logger } from '../app/logger.js';
import { dispatchCall, type Handlers } from '../ipc/dispatch.js';

export function registerIpc(handlers: Handlers, trusted: (sender: WebContents, frameUrl: string) => boolean, log: Logger): () => void {
  for (const name of callNames) {
    ipcMain.handle(name, async (event: IpcMainInvokeEvent, input: unknown): Promise<Result<unknown>> => {
      const frameUrl = event.senderFrame?.url ?? '';
      if (!trusted(event.sender, frameUrl) || event.senderFrame !== event.sender.mainFrame) {
        log.warn({ call: name }, 'dropped IPC call from an untrusted frame');
        return { ok: false, error: { code: 'BRIDGE_UNAUTHORIZED', message: 'call from an untrusted frame' } };
      }
      return dispatchCall(handlers, name, input, log);
    });
  }
  return () => {
    for (const name of callNames) ipcMain.removeHandler(name);
  };
}

/** Forwards contract events to a window until it is destroyed. */
export function forwardEvents(events: EventHub, target: WebContents): () => void {
  const unsubscribe = events.subscribe((name, payload) => {
    if (!target.isDestroyed()) target.send(eventChannel(name), payload);
  });
  target.once('destroyed', unsubscribe);
  return unsubscribe;
}
