/**
 * The Electron shell: a window, IPC and nothing else. Everything it calls is in createMainServices,
 * which runs under plain Node too (web mode, CLI, tests).
 */
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, safeStorage } from 'electron';
import { createAppLogger } from '../logging/app-logger.js';
import { deepLinkFromArgv, parseDeepLink } from '../app/deep-link.js';
import { createMainServices, type MainServices } from '../app/main-services.js';
import { safeStorageBox } from '../orders/safe-storage-box.js';
import { startTraceFile } from '../diagnostics/pkcs11-trace.js';
import { findNativeConfigDir } from '../token/native-config.js';
import { forwardEvents, registerIpc } from './ipc-handle.js';
import { hardenSession } from './harden-session.js';
import { askWhereToSave } from './save-dialog.js';
import { startReminderNotifications } from './reminder-notifications.js';
import { planAutoUpdate, readUpdateFeed, startAutoUpdate } from './updater.js';
import { createMainWindow } from './window-options.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const rendererIndex = join(here, '../renderer/index.html');
const preloadPath = join(here, '../preload/index.cjs');
const rendererUrl = pathToFileURL(rendererIndex).href;

if (!app.requestSingleInstanceLock()) app.quit();

// obnova:// links (the installers register the scheme): macOS sends open-url, possibly before ready;
// Windows and Linux start us with the link in argv or hand it to the running instance through second-instance.
let services: MainServices | undefined;
let pendingLink = deepLinkFromArgv(process.argv);
app.on('open-url', (event, url) => {
  event.preventDefault();
  const link = parseDeepLink(url);
  if (!link) return;
  if (services) services.links.deliver(link);
  else pendingLink = link;
});

/** `--NAME VALUE` (or `--NAME=VALUE`), as `npm start -- --module …` and web mode take them. */
function optionFromArgv(argv: readonly string[], name: 'module' | 'trace'): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === `--${name}`) return argv[i + 1];
    if (arg.startsWith(`--${name}=`)) return arg.slice(`--${name}=`.length);
  }
  return undefined;
}

app.whenReady().then(() => {
  hardenSession();
  const appDataDir = app.getPath('userData');
  askWhereToSave(appDataDir);
  const { log } = createAppLogger({ appDataDir, level: process.env.OBNOVA_LOG_LEVEL });
  // `--trace FILE`: the PKCS#11 calls of this run (names, results, times; never PINs), for a helpdesk's hard case.
  const tracePath = optionFromArgv(process.argv, 'trace');
  const trace = tracePath !== undefined ? startTraceFile(tracePath) : undefined;
  const ready = createMainServices({
    mode: 'electron',
    log,
    systemLocale: app.getLocale(),
    appDataDir,
    moduleArgument: optionFromArgv(process.argv, 'module'),
    ...(trace ? { trace: trace.sink } : {}),
    // Order access tokens sealed by the OS keychain where Electron has one; a 0600 file otherwise.
    secretBox: safeStorageBox(safeStorage),
  });
  services = ready;
  if (pendingLink) ready.links.deliver(pendingLink);
  registerIpc(ready.handlers, (_sender, frameUrl) => frameUrl === rendererUrl, log);
  const stopWatch = ready.watchTokens();

  const window = createMainWindow(BrowserWindow, preloadPath);
  window.removeMenu();
  forwardEvents(ready.events, window.webContents);
  window.once('ready-to-show', () => window.show());
  void window.loadFile(rendererIndex);
  startReminderNotifications({ handlers: ready.handlers, appDataDir, window, log });

  void ready.handlers['settings.get']({}).then(async (settings) => {
    if (!process.env.OBNOVA_LOG_LEVEL) log.level = settings.settings.logLevel;
    const feed = readUpdateFeed(findNativeConfigDir(), settings.settings.deployment, log);
    await startAutoUpdate(planAutoUpdate({ feed, isPackaged: app.isPackaged, platform: process.platform, env: process.env }), log);
  }, (error: unknown) => log.warn({ err: error }, 'auto-update not started'));

  app.on('second-instance', (_event, argv) => {
    const link = deepLinkFromArgv(argv);
    if (link) ready.links.deliver(link);
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', () => {
    stopWatch();
    void ready.close().finally(() => trace?.stop());
  });
}, (error: unknown) => {
  process.stderr.write(`obnova: could not start: ${(error as Error).message}\n`);
  app.exit(3);
});
