/**
 * The preload: exposes window.obnova, one named method per contract call and one subscriber per event.
 * Never a generic invoke: the renderer can only make the calls the contract declares.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { createObnovaApi, eventChannel } from '../src-shared/contract/index.js';

const api = createObnovaApi({
  invoke: (call, input) => ipcRenderer.invoke(call, input),
  subscribe: (event, listener) => {
    const channel = eventChannel(event);
    const handler = (_event: IpcRendererEvent, payload: unknown): void => listener(payload);
    ipcRenderer.on(channel, handler);
    return () => ipcRenderer.removeListener(channel, handler);
  },
});

contextBridge.exposeInMainWorld('obnova', api);
