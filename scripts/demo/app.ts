/**
 * The app on the demo cards: settings pointing at the demo service, then Electron where its binary
 * exists, else web mode (the same app in the browser). Also the bridge calls the check makes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { softHsmModule } from '../../src-service/ca/ca-setup.js';
import { startWebMode, type WebMode } from '../../tests/helpers/e2e/web-mode.js';
import { installedElectronBinary } from '../electron-binary.js';
import type { DemoLayout } from './layout.js';

const root = join(import.meta.dirname, '../..');
/** The local-demo deployment's service URL (native-config/deployments/local-demo.json). */
const localDemoUrl = 'http://127.0.0.1:8443';

export type RunningApp = { kind: 'web'; web: WebMode; stop(): Promise<void> } | { kind: 'electron'; process: ChildProcess; stop(): Promise<void> };

/**
 * The demo's app data: settings.json (the local-demo deployment, and its URL only when the service had
 * to take another port) and the demo CAs' roots in trust/, where the app looks for extra trust anchors.
 */
export function prepareAppData(layout: DemoLayout, serviceUrl: string): void {
  mkdirSync(join(layout.appData, 'trust'), { recursive: true });
  for (const market of ['si', 'rs'] as const) copyFileSync(join(layout.caDir(market), 'root.pem'), join(layout.appData, 'trust', `obnova-demo-${market}-root.pem`));
  const settings = {
    language: null,
    deployment: 'local-demo',
    serviceUrl: serviceUrl === localDemoUrl ? null : serviceUrl,
    extraModulePaths: [],
    reminderLeadDays: 60,
    logLevel: 'info',
  };
  writeFileSync(join(layout.appData, 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 });
}

/** The environment the app runs in: only the cards' SoftHSM store, the demo's app data. */
export function appEnv(layout: DemoLayout): NodeJS.ProcessEnv {
  const { OBNOVA_SERVICE_URL: _url, ...env } = process.env;
  return { ...env, SOFTHSM2_CONF: layout.cardHsmConf, OBNOVA_APP_DATA: layout.appData };
}

/** Opens the app: Electron when `allowElectron` and its binary is installed, else web mode. */
export async function openApp(layout: DemoLayout, serviceUrl: string, options: { allowElectron: boolean }): Promise<RunningApp> {
  const binary = options.allowElectron ? installedElectronBinary(root) : undefined;
  if (binary) {
    // Electron keeps its data in userData: --user-data-dir moves it to the demo's app data (settings, trust);
    // OBNOVA_SERVICE_URL points its renewal client at the demo service in any case. The shell takes the
    // PKCS#11 module from OBNOVA_PKCS11_MODULE (it has no --module argument).
    const env = { ...appEnv(layout), OBNOVA_SERVICE_URL: serviceUrl, OBNOVA_PKCS11_MODULE: softHsmModule };
    const child = spawn(binary, [root, `--user-data-dir=${layout.appData}`], { stdio: 'inherit', env });
    return {
      kind: 'electron',
      process: child,
      stop: () =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }),
    };
  }
  const web = await startWebMode({ env: appEnv(layout), args: ['--module', softHsmModule], timeoutMs: 30_000 });
  return { kind: 'web', web, stop: () => web.stop() };
}

/** One bridge call to the running web mode, as the renderer makes it. */
export async function bridgeCall<T>(web: WebMode, call: string, input: unknown = {}): Promise<T> {
  const token = new URL(web.url).hash.slice('#token='.length);
  const response = await fetch(`${web.origin}/bridge/call/${call}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(input),
  });
  const answer = (await response.json()) as { ok: boolean; value?: T; error?: { code: string; message?: string } };
  if (!answer.ok || answer.value === undefined) throw new Error(`${call} failed: ${JSON.stringify(answer.error ?? answer)}`);
  return answer.value;
}
