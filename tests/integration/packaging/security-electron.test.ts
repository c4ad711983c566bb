import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// `npm test` runs security:electron over the real out/; this checks that the gate closes on an
// insecure app, so a pass there means something.
const root = resolve(import.meta.dirname, '../../..');
const scratch = mkdtempSync(join(tmpdir(), 'obnova-eng-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function scan(files: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  const app = mkdtempSync(join(scratch, 'app-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(app, name, '..'), { recursive: true });
    writeFileSync(join(app, name), text);
  }
  const result = spawnSync(process.execPath, ['scripts/security-electron.mjs', '--input', app], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const packageJson = JSON.stringify({ name: 'fixture', main: 'main.js', devDependencies: { electron: '45.5.0' } });

describe('security:electron', () => {
  it('blocks a window with Node integration and no context isolation or sandbox', () => {
    const result = scan({
      'package.json': packageJson,
      'main.js': `const { app, BrowserWindow } = require('electron');
app.whenReady().then(() => {
  const w = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false } });
  w.loadURL('http://example.com/');
});`,
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/BLOCKING HIGH\s+CONTEXT_ISOLATION_JS_CHECK main\.js/);
    expect(result.stdout).toMatch(/BLOCKING MEDIUM\s+SANDBOX_JS_CHECK main\.js/);
    expect(result.stdout).toMatch(/BLOCKING HIGH\s+LIMIT_NAVIGATION_GLOBAL_CHECK/);
    expect(result.stdout).toMatch(/BLOCKING MEDIUM\s+CSP_GLOBAL_CHECK/);
    expect(result.stderr).toContain('fix the BLOCKING findings');
  });

  it('passes a window built like ours, with class private fields in the bundle, without the network', () => {
    const result = scan({
      'package.json': packageJson,
      'main.js': `const { app, BrowserWindow, session } = require('electron');
class Holder { #secret = 1; get value() { return this.#secret; } }
app.on('web-contents-created', (_e, contents) => {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});
app.whenReady().then(() => {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': ["default-src 'none'; script-src 'self'; object-src 'none'; base-uri 'none'"] } });
  });
  session.defaultSession.setPermissionRequestHandler((_c, _p, callback) => callback(false));
  const w = new BrowserWindow({ webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, disableBlinkFeatures: 'Auxclick' } });
  w.loadFile('index.html');
  return new Holder().value;
});`,
    });
    expect(result.stdout).not.toMatch(/could not parse/);
    expect(result.stdout).not.toMatch(/BLOCKING (HIGH|MEDIUM)/);
    expect(result.stdout).toMatch(/security:electron: 0 high, 0 medium findings/);
  });
});
