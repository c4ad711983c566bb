/** The main window, built in one pure function so a test can assert every security setting. */
import type { BrowserWindowConstructorOptions } from 'electron';

/** Electron's BrowserWindow, passed in so this file never loads electron (tests pass a recorder). */
export type WindowConstructor<W> = new (options: BrowserWindowConstructorOptions) => W;

/**
 * Opens the main window. The options are a literal inside `new BrowserWindow(…)` on purpose:
 * Electronegativity (`npm run security:electron`) reads that expression syntactically and cannot
 * see options returned by another function.
 */
export function createMainWindow<W>(BrowserWindow: WindowConstructor<W>, preloadPath: string): W {
  return new BrowserWindow({
    width: 1100,
    height: 760,
    minWidth: 720,
    minHeight: 520,
    title: 'Obnova',
    show: false,
    backgroundColor: '#ffffff',
    webPreferences: {
      // Reviewed (Electronegativity's PRELOAD_JS_CHECK asks for it): the preload exposes one method per
      // contract call and nothing else, asserted by tests/unit/shell/preload-api.test.ts.
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      navigateOnDragDrop: false,
      // Middle-click must not open windows (new windows are denied anyway in harden-session.ts).
      disableBlinkFeatures: 'Auxclick',
    },
  });
}
