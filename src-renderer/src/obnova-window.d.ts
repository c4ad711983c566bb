/** window.obnova as the Electron preload exposes it; absent in web mode. */
import type { ObnovaApi } from '../../src-shared/contract/api.js';

declare global {
  interface Window {
    readonly obnova?: ObnovaApi;
  }
}

export {};
