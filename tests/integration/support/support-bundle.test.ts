/**
 * The support bundle through the main services, on a SoftHSM card: the zip holds exactly the files of the
 * preview, and secrets planted in logs (through the logger and written raw), the journal and the settings
 * folder never appear in it — checked on the zip bytes and on what `unzip` (Info-ZIP) extracts.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BundlePreview, BundleResult } from '../../../src-shared/contract/index.js';
import { createMainServices, type MainServices } from '../../../src-main/app/main-services.js';
import { dispatchCall } from '../../../src-main/ipc/dispatch.js';
import { createAppLogger } from '../../../src-main/logging/app-logger.js';
import { createSoftHsm, type SoftHsm, type SoftHsmToken } from '../../helpers/softhsm.js';

const planted = {
  pin: '731945',
  puk: '55018842',
  newPin: '864209',
  accessToken: 'otok_3f9a1c77e2b54d0a8c6e',
  bridgeSecret: 'b7e1c0de5a5a5a5a0f0f0f0f1234abcd',
  bearer: 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJvcmRlciJ9.c2lnbmF0dXJl',
};

let hsm: SoftHsm;
let work: string;
let appDataDir: string;
let services: MainServices;
let token: SoftHsmToken;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'obnova-bundle-'));
  appDataDir = join(work, 'appdata');
  hsm = createSoftHsm();
  token = hsm.createToken({ label: 'Bundle card', pin: planted.pin, soPin: planted.puk });
  await hsm.addKeyAndCertificate(token, { id: '0a', label: 'Signing', subject: { commonName: 'Mojca Kranjc' } });

  // Logs as the app writes them (pino with redaction) …
  const { log } = createAppLogger({ appDataDir, level: 'debug', stderr: false });
  log.info({ source: 'token', pin: planted.pin, token: { label: 'Bundle card' } }, 'login');
  log.info({ source: 'renewal', order: { id: 'ord-1', accessToken: planted.accessToken } }, 'order placed');
  log.debug({ newPin: planted.newPin, puk: planted.puk }, 'pin unblock');
  // … and lines no logger would write today, as a careless future version or a copied console might.
  const logFile = join(appDataDir, 'logs', 'obnova.log');
  appendFileSync(logFile, `{"level":50,"msg":"raw","details":{"pin":"${planted.pin}"},"note":"again ${planted.pin}"}\n`);
  appendFileSync(logFile, `web mode at http://127.0.0.1:4100/#token=${planted.bridgeSecret}\n`);
  appendFileSync(logFile, `GET /v1/orders/ord-1 Authorization: Bearer ${planted.bearer}\n`);
  appendFileSync(logFile, `user typed PUK=${planted.puk} then PIN: ${planted.newPin}\n`);
  writeFileSync(join(appDataDir, 'logs', 'obnova.1.log'), `{"level":30,"msg":"older","accessToken":"${planted.accessToken}"}\n`);

  mkdirSync(join(appDataDir, 'journal'), { recursive: true });
  writeFileSync(join(appDataDir, 'journal', 'ord-1.json'), JSON.stringify({ orderId: 'ord-1', accessToken: planted.accessToken, steps: [{ step: 'key-generated', keyId: '0b' }] }));

  services = createMainServices({ mode: 'web', log, moduleArgument: hsm.modulePath, appDataDir, env: { PATH: process.env.PATH } });
  expect((await dispatchCall(services.handlers, 'settings.update', { serviceUrl: 'http://127.0.0.1:9/', reminderLeadDays: 45 })).ok).toBe(true);
}, 60_000);

afterAll(async () => {
  await services?.close();
  hsm?.cleanup();
  rmSync(work, { recursive: true, force: true });
});

describe('support bundle', () => {
  let preview: BundlePreview;
  let result: BundleResult;

  beforeAll(async () => {
    const previewResult = await dispatchCall(services.handlers, 'support.preview', {});
    if (!previewResult.ok) throw new Error(JSON.stringify(previewResult.error));
    preview = previewResult.value as BundlePreview;
    const created = await dispatchCall(services.handlers, 'support.create', { previewId: preview.id });
    if (!created.ok) throw new Error(JSON.stringify(created.error));
    result = created.value as BundleResult;
  }, 60_000);

  it('previews diagnostics, public certificate data, settings, both logs and the journal', () => {
    expect(preview.files.map((f) => f.name)).toEqual([
      'diagnostics.json',
      'certificates.json',
      `certificates/slot${token.slotId}-0a.pem`,
      'settings.json',
      'logs/obnova.log',
      'logs/obnova.1.log',
      'journal/ord-1.json',
    ]);
    const certificates = JSON.parse(preview.files.find((f) => f.name === 'certificates.json')!.content);
    expect(certificates).toMatchObject([{ subjectCommonName: 'Mojca Kranjc', tokenLabel: 'Bundle card', hasPrivateKey: true }]);
    // The PEM is the certificate on the card: openssl reads it and its fingerprint is the listed one.
    const pem = preview.files.find((f) => f.name.endsWith('.pem'))!.content;
    expect(pem).toMatch(/^subject=CN=Mojca Kranjc\nissuer=.+\nserial=[0-9a-f]+\n-----BEGIN CERTIFICATE-----\n/);
    const fingerprint = execFileSync('openssl', ['x509', '-noout', '-fingerprint', '-sha256'], { input: pem, encoding: 'utf8' });
    expect(fingerprint.split('=')[1]!.trim().replace(/:/g, '').toLowerCase()).toBe(certificates[0].fingerprintSha256.replace(/:/g, '').toLowerCase());
    const diagnostics = JSON.parse(preview.files[0]!.content);
    expect(diagnostics.checks.some((c: { verdict: string }) => c.verdict === 'SERVICE_UNREACHABLE')).toBe(true);
  });

  it('zips exactly the previewed files, byte for byte (checked with Info-ZIP unzip)', () => {
    expect(result.files).toEqual(preview.files.map((f) => f.name));
    expect(statSync(result.path).size).toBe(result.sizeBytes);
    expect(result.path.startsWith(join(appDataDir, 'support'))).toBe(true);
    const listing = execFileSync('unzip', ['-Z1', result.path], { encoding: 'utf8' }).trim().split('\n');
    expect(listing).toEqual(preview.files.map((f) => f.name));
    for (const file of preview.files) expect(execFileSync('unzip', ['-p', result.path, file.name], { encoding: 'utf8' }), file.name).toBe(file.content);
    execFileSync('unzip', ['-tq', result.path]);
  });

  it('holds none of the planted PINs, PUK, access token, bridge secret or bearer token — in the zip bytes or extracted', () => {
    const extractTo = join(work, 'extracted');
    execFileSync('unzip', ['-q', '-o', result.path, '-d', extractTo]);
    const texts: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else texts.push(readFileSync(path, 'latin1'));
      }
    };
    walk(extractTo);
    expect(texts).toHaveLength(7);
    const zipBytes = readFileSync(result.path, 'latin1');
    for (const [name, secret] of Object.entries(planted)) {
      for (const text of texts) expect(text.includes(secret), `${name} in an extracted file`).toBe(false);
      expect(zipBytes.includes(secret), `${name} in the zip bytes`).toBe(false);
      // grep as a helpdesk would, on the extracted tree.
      expect(() => execFileSync('grep', ['-rqF', secret, extractTo])).toThrow();
    }
    // What was there is still readable: the log lines kept their messages.
    expect(texts.join('\n')).toContain('"msg":"order placed"');
  });

  it('a preview that has expired cannot be zipped by mistake', async () => {
    const created = await dispatchCall(services.handlers, 'support.create', { previewId: 'no-such-preview' });
    expect(created).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
  });
});
