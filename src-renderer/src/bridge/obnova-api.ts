/** window.obnova in Electron (from the preload); in web mode the same API over the loopback bridge. */
import { createObnovaApi, type ObnovaApi } from '../../../src-shared/contract/index.js';
import { takeBridgeSecret } from './bridge-secret.js';
import { createWebTransport } from './web-transport.js';

let api: ObnovaApi | undefined;

function sessionStorageOrUndefined(): Storage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    // Some privacy settings make merely touching sessionStorage throw.
    return undefined;
  }
}

/** The one API object for the page; created on first use. */
export function getObnovaApi(): ObnovaApi {
  if (api) return api;
  if (window.obnova) {
    api = window.obnova;
    return api;
  }
  const secret = takeBridgeSecret({ location: window.location, history: window.history, storage: sessionStorageOrUndefined() });
  api = createObnovaApi(createWebTransport({ fetch: window.fetch.bind(window), baseUrl: '', secret }));
  return api;
}
