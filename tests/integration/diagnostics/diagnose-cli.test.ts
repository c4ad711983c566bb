/**
 * `obnova diagnose --json` on the machines of the acceptance list: no card software, a broken module path,
 * a token whose PIN is locked, the service down, a clock two hours off — each check must give the
 * right verdict and fix. Tokens are SoftHSM2 tokens; the service is a loopback HTTP server.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiagnosticCheck, DiagnosticsReport } from '../../../src-shared/contract/index.js';
import { runCli } from '../../../src-main/cli/run-cli.js';
import { readTrace } from '../../../src-main/diagnostics/pkcs11-trace.js';
import { createSoftHsm, type SoftHsm, type SoftHsmToken } from '../../helpers/softhsm.js';
import { CKF_SO_PIN_LOCKED, CKF_USER_PIN_LOCKED, setSoftHsmTokenFlags } from './softhsm-token-flags.js';

let hsm: SoftHsm;
let work: string;
const dayMs = 86_400_000;

async function diagnose(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; report: DiagnosticsReport; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['diagnose', '--json', '--lang', 'en', ...args], { out: (t) => out.push(t), err: (t) => err.push(t), env: { PATH: process.env.PATH, ...env } });
  return { code, report: JSON.parse(out.join('\n')) as DiagnosticsReport, stderr: err.join('\n') };
}

function appData(settings?: Record<string, unknown>): string {
  const dir = mkdtempSync(join(work, 'appdata-'));
  if (settings) writeFileSync(join(dir, 'settings.json'), JSON.stringify({ language: null, deployment: 'local-demo', serviceUrl: null, extraModulePaths: [], reminderLeadDays: 60, logLevel: 'info', ...settings }));
  return dir;
}

function checks(report: DiagnosticsReport, area: DiagnosticCheck['area']): DiagnosticCheck[] {
  return report.checks.filter((c) => c.area === area);
}

/** A native-config folder whose only middleware is not installed (a computer with no card software). */
function emptyNativeConfig(): string {
  const dir = mkdtempSync(join(work, 'native-config-'));
  const modules = {
    modules: [
      { id: 'safenet-etoken', name: 'SafeNet eToken (SafeNet Authentication Client)', vendor: 'Thales', platforms: { [`${process.platform}-${process.arch}`]: [join(dir, 'absent', 'libeTPkcs11.so')] } },
    ],
  };
  writeFileSync(join(dir, 'pkcs11-modules.json'), JSON.stringify(modules));
  writeFileSync(join(dir, 'cards.json'), JSON.stringify({ cards: [] }));
  return dir;
}

function serve(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` })));
}

let healthy: SoftHsmToken;
let locked: SoftHsmToken;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'obnova-diagnose-'));
  hsm = createSoftHsm();
  healthy = hsm.createToken({ label: 'Healthy card', pin: '246810' });
  await hsm.addKeyAndCertificate(healthy, { id: '01', label: 'Soon', subject: { commonName: 'Ana Novak' }, notAfter: new Date(Date.now() + 30 * dayMs) });
  await hsm.addKeyAndCertificate(healthy, { id: '02', label: 'Later', subject: { commonName: 'Ana Novak (later)' }, notAfter: new Date(Date.now() + 400 * dayMs) });
  locked = hsm.createToken({ label: 'Locked card', pin: '135790' });
  setSoftHsmTokenFlags(hsm.dir, locked.serial, CKF_USER_PIN_LOCKED);
}, 60_000);

afterAll(() => {
  hsm?.cleanup();
  rmSync(work, { recursive: true, force: true });
});

describe('obnova diagnose --json', () => {
  it('on a computer with no card software: MODULE_NONE_INSTALLED, "install" in the fix, exit code 4', async () => {
    const { code, report } = await diagnose(['--offline'], { OBNOVA_APP_DATA: appData(), OBNOVA_NATIVE_CONFIG_DIR: emptyNativeConfig() });
    expect(code).toBe(4);
    expect(report.overall).toBe('error');
    expect(report.modules).toEqual([]);
    const [module] = checks(report, 'modules');
    expect(module).toMatchObject({ status: 'error', verdict: 'MODULE_NONE_INSTALLED' });
    expect(module?.fix).toMatch(/^No card software is installed on this computer\. Install the card software \(driver\) supplied with your card/);
    expect(checks(report, 'tokens')).toEqual([]);
    expect(checks(report, 'environment')[0]).toMatchObject({ verdict: 'APP_INFO', details: { version: expect.any(String) } });
  });

  it('with --module pointing at a file that does not exist: MODULE_NOT_FOUND naming the path', async () => {
    const missing = join(work, 'nowhere', 'libpersonal.so');
    const { code, report } = await diagnose(['--offline', '--module', missing], { OBNOVA_APP_DATA: appData() });
    expect(code).toBe(4);
    const check = checks(report, 'modules').find((c) => c.subject === missing);
    expect(check).toMatchObject({ status: 'error', verdict: 'MODULE_NOT_FOUND', details: { path: missing, source: 'argument' } });
    expect(check?.fix).toBe(`The card software at ${missing} does not exist. Install it again or correct the path in Settings.`);
    expect(report.modules.find((m) => m.path === missing)).toMatchObject({ exists: false, loaded: false, error: { code: 'TOKEN_MODULE_NOT_FOUND' } });
  });

  it('with an extra module path in Settings that is not a PKCS#11 library: MODULE_INVALID, the real module still checked', async () => {
    const notALibrary = join(work, 'not-a-library.so');
    writeFileSync(notALibrary, 'just text\n');
    const { report } = await diagnose(['--offline', '--module', hsm.modulePath], { OBNOVA_APP_DATA: appData({ extraModulePaths: [notALibrary] }) });
    expect(checks(report, 'modules').find((c) => c.subject === notALibrary)).toMatchObject({ status: 'error', verdict: 'MODULE_INVALID', details: { source: 'settings' } });
    expect(checks(report, 'modules').find((c) => c.subject === hsm.modulePath)).toMatchObject({ status: 'ok', verdict: 'MODULE_OK' });
  });

  it('with a token whose PIN is locked: TOKEN_PIN_LOCKED, "unblock it with your PUK"; the healthy token stays OK', async () => {
    // pkcs11-tool, independently of Obnova, sees the same flag.
    const tokenInfo = hsm.pkcs11Tool(['-T']);
    expect(tokenInfo).toMatch(/Locked card[\s\S]*user PIN locked/);
    const { code, report } = await diagnose(['--offline', '--module', hsm.modulePath], { OBNOVA_APP_DATA: appData() });
    expect(code).toBe(4);
    const lockedCheck = checks(report, 'tokens').find((c) => c.details.label === 'Locked card');
    expect(lockedCheck).toMatchObject({ status: 'error', verdict: 'TOKEN_PIN_LOCKED' });
    expect(lockedCheck?.fix).toBe('The PIN of card “Locked card” is locked. Unblock it with your PUK code, then choose a new PIN.');
    expect(checks(report, 'tokens').find((c) => c.details.label === 'Healthy card')).toMatchObject({ status: 'ok', verdict: 'TOKEN_OK' });
    expect(report.tokens.find((t) => t.label === 'Locked card')?.pin.locked).toBe(true);
  });

  it('reports certificates: one expiring within the reminder lead time, one fine, and a token with none', async () => {
    const { report } = await diagnose(['--offline', '--module', hsm.modulePath], { OBNOVA_APP_DATA: appData() });
    const certs = checks(report, 'certificates');
    expect(certs.find((c) => c.details.name === 'Ana Novak')).toMatchObject({ status: 'warning', verdict: 'CERT_EXPIRING', details: { days: 29 } });
    expect(certs.find((c) => c.details.name === 'Ana Novak')?.fix).toMatch(/^The certificate of Ana Novak expires in 29 days \(\d{1,2} [A-Z][a-z]+ \d{4}\)\. Renew it now in Obnova\.$/);
    expect(certs.find((c) => c.details.name === 'Ana Novak (later)')).toMatchObject({ status: 'ok', verdict: 'CERT_OK' });
    expect(certs.find((c) => c.verdict === 'CERT_NONE_ON_TOKEN')).toMatchObject({ details: { label: 'Locked card' } });
  });

  it('with the renewal service down (connection refused on a loopback port): SERVICE_UNREACHABLE, clock unknown', async () => {
    const { server, url } = await serve((_q, r) => r.end());
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const { code, report } = await diagnose(['--module', hsm.modulePath], { OBNOVA_APP_DATA: appData({ serviceUrl: url }) });
    expect(code).toBe(4);
    expect(report.service).toMatchObject({ url, reachable: false, error: 'ECONNREFUSED' });
    const [service] = checks(report, 'service');
    expect(service).toMatchObject({ status: 'error', verdict: 'SERVICE_UNREACHABLE' });
    expect(service?.fix).toBe(`The renewal service at ${url} cannot be reached (ECONNREFUSED). Check the internet connection, a proxy or firewall, and the service address in Settings.`);
    expect(checks(report, 'clock')).toMatchObject([{ status: 'info', verdict: 'CLOCK_UNKNOWN' }]);
  });

  it('with the computer two hours ahead of the service: CLOCK_AHEAD, "your computer\'s clock is 2 h ahead"', async () => {
    const { server, url } = await serve((_req, res) => {
      res.setHeader('Date', new Date(Date.now() - 2 * 3600_000).toUTCString());
      res.end();
    });
    try {
      const { report } = await diagnose(['--module', hsm.modulePath], { OBNOVA_APP_DATA: appData({ serviceUrl: url }) });
      expect(checks(report, 'service')).toMatchObject([{ status: 'ok', verdict: 'SERVICE_OK' }]);
      const [clock] = checks(report, 'clock');
      expect(clock).toMatchObject({ status: 'error', verdict: 'CLOCK_AHEAD', details: { amount: '2 h' } });
      expect(clock?.fix).toBe('Your computer’s clock is 2 h ahead. Set the date and time to update automatically in the system settings, then check again.');
      expect(Math.abs((report.service.clockSkewSeconds ?? 0) - 7200)).toBeLessThanOrEqual(2);
    } finally {
      server.close();
    }
  });

  it('with the service reachable and the clock right: SERVICE_OK and CLOCK_OK', async () => {
    const { server, url } = await serve((_req, res) => res.end());
    try {
      const { report } = await diagnose(['--module', hsm.modulePath], { OBNOVA_APP_DATA: appData({ serviceUrl: url }) });
      expect(checks(report, 'service')).toMatchObject([{ status: 'ok', verdict: 'SERVICE_OK' }]);
      expect(checks(report, 'clock')).toMatchObject([{ status: 'ok', verdict: 'CLOCK_OK' }]);
    } finally {
      server.close();
    }
  });

  it('with both PIN and PUK locked: TOKEN_PUK_LOCKED (a new card is needed)', async () => {
    const both = hsm.createToken({ label: 'Dead card' });
    setSoftHsmTokenFlags(hsm.dir, both.serial, CKF_USER_PIN_LOCKED | CKF_SO_PIN_LOCKED);
    const { report } = await diagnose(['--offline', '--module', hsm.modulePath], { OBNOVA_APP_DATA: appData() });
    expect(checks(report, 'tokens').find((c) => c.details.label === 'Dead card')).toMatchObject({ status: 'error', verdict: 'TOKEN_PUK_LOCKED' });
    hsm.deleteToken('Dead card');
  });

  it('with --trace FILE: the calls to every library diagnostics loads are traced (names, results, times, library) without any PIN', async () => {
    const tracePath = join(work, 'diagnose-trace.jsonl');
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(['diagnose', '--json', '--offline', '--module', hsm.modulePath, '--trace', tracePath], { out: (t) => out.push(t), err: (t) => err.push(t), env: { ...process.env, OBNOVA_APP_DATA: appData() } });
    expect(code).toBe(4);
    const report = JSON.parse(out.join('\n')) as DiagnosticsReport;
    expect(report.tokens.map((t) => t.label).sort()).toEqual(['Healthy card', 'Locked card']);
    const lines = readTrace(tracePath);
    expect(err.join('\n')).toContain(`PKCS#11 trace of ${lines.length} calls written to ${tracePath}`);
    // Each library that exists was loaded and is named in its calls; SoftHSM's come first (it is --module).
    expect(new Set(lines.map((l) => l.module))).toEqual(new Set(report.modules.filter((m) => m.exists).map((m) => m.path)));
    expect(lines[0]).toMatchObject({ fn: 'C_GetFunctionList', module: hsm.modulePath });
    const softhsm = lines.filter((l) => l.module === hsm.modulePath);
    expect(softhsm.filter((l) => l.fn === 'C_GetTokenInfo').length).toBeGreaterThanOrEqual(2);
    // One pass over the module: one slot listing and one session per token. The trace is taken at the
    // binding, where one C_GetSlotList asks the library twice (count, then fill): pkcs11-spy showed 2.
    expect(softhsm.filter((l) => l.fn === 'C_GetSlotList')).toHaveLength(1);
    expect(softhsm.filter((l) => l.fn === 'C_OpenSession')).toHaveLength(report.tokens.length);
    // Loaded for this run, the library already sees every token: no reinitializing rescan on top.
    expect(softhsm.filter((l) => l.fn === 'C_Initialize')).toHaveLength(1);
    expect(lines.every((l) => typeof l.rv === 'string' && typeof l.durationMs === 'number' && l.durationMs >= 0)).toBe(true);
    expect(readFileSync(tracePath, 'utf8')).not.toMatch(/246810|135790/);
  });

  it('runs as a process too (tsx src-main/cli.ts): text output, exit code 4, no PIN anywhere', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '../../../src-main/cli.ts'), 'diagnose', '--offline', '--lang', 'sl', '--module', hsm.modulePath], {
      env: { PATH: process.env.PATH, SOFTHSM2_CONF: hsm.conf, OBNOVA_APP_DATA: appData() },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(4);
    expect(run.stdout).toContain('PIN kartice »Locked card« je zaklenjen. Odklenite ga s kodo PUK in nato izberite nov PIN. (TOKEN_PIN_LOCKED)');
    expect(run.stdout).not.toMatch(/246810|135790/);
  });
});

