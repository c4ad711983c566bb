/**
 * Web mode: the main services under plain Node, the built renderer and a loopback bridge.
 * `npm run web` starts it; the e2e tests drive it with Chromium.
 */
import { parseArgs } from 'node:util';
import { createMainServices } from './app/main-services.js';
import { startTraceFile } from './diagnostics/pkcs11-trace.js';
import { findRendererDir } from './app/paths.js';
import { startBridge } from './bridge/bridge-server.js';
import { createAppLogger } from './logging/app-logger.js';
import { resolveAppDataDir } from './settings/app-data-dir.js';

const usage = `Usage: obnova-web [--module PATH] [--port N] [--trace FILE]

Starts Obnova's main services under Node and serves the app on http://127.0.0.1 with a
loopback bridge. Open the printed URL (it carries a one-time secret) in a browser.
--trace FILE writes the PKCS#11 calls (names, results, times; never PINs) to FILE until it stops.`;

async function main(): Promise<number> {
  let values: { module?: string; port?: string; trace?: string; help?: boolean };
  try {
    ({ values } = parseArgs({ options: { module: { type: 'string' }, port: { type: 'string' }, trace: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true }));
  } catch (error) {
    console.error(`obnova-web: ${(error as Error).message}\n\n${usage}`);
    return 1;
  }
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`obnova-web: --port must be a number from 0 to 65535\n\n${usage}`);
    return 1;
  }
  const rendererDir = findRendererDir();
  if (!rendererDir) {
    console.error('obnova-web: the app is not built yet. Run `npm run build` first (npm run web does it for you).');
    return 1;
  }

  const appDataDir = resolveAppDataDir();
  const { log } = createAppLogger({ appDataDir, level: process.env.OBNOVA_LOG_LEVEL });
  const trace = values.trace !== undefined ? startTraceFile(values.trace) : undefined;
  const services = createMainServices({ mode: 'web', log, moduleArgument: values.module, appDataDir, ...(trace ? { trace: trace.sink } : {}) });
  await applyLogLevelFromSettings(services, log);
  const bridge = await startBridge({ handlers: services.handlers, events: services.events, rendererDir, log, port });
  const stopWatch = services.watchTokens();
  console.log(`Obnova is running in web mode. Open this address in your browser:\n${bridge.url}`);

  const shutdown = async (): Promise<void> => {
    stopWatch();
    await bridge.close();
    await services.close();
    if (trace) {
      const { calls, path } = trace.stop();
      console.error(`obnova-web: PKCS#11 trace of ${calls} calls written to ${path}`);
    }
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
  return -1;
}

/** The Settings screen's log level, unless OBNOVA_LOG_LEVEL overrides it for this run. */
async function applyLogLevelFromSettings(services: ReturnType<typeof createMainServices>, log: ReturnType<typeof createAppLogger>['log']): Promise<void> {
  if (process.env.OBNOVA_LOG_LEVEL) return;
  const settings = await services.handlers['settings.get']({});
  log.level = settings.settings.logLevel;
}

main().then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    console.error(`obnova-web: could not start: ${(error as Error).message}`);
    process.exit(3);
  },
);
