/**
 * `obnova renew check|order|status|receive` and `obnova export` as separate processes against the real
 * service (obnova-ca in child processes) and a SoftHSM card: the first renewal ends with the new key and
 * certificate on the same card (pkcs11-tool), verifiable with openssl, and exports that openssl reads.
 * Then the same order and receive on a card in a PIN-pad reader (--pin-pad, through the card shim).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toPem } from '../../../src-shared/pki/pem.js';
import { type CardShim, createCardShim } from '../../helpers/pkcs11-card-shim/card-shim.js';
import { useSoftHsmEnv } from '../../helpers/service/softhsm-env.js';
import { softhsmModule, startCaProcess, type CaProcess, type IssuedCard } from './ca-process.js';
import { objectIds } from './card-reader.js';

const hsm = useSoftHsmEnv('obnova-app-renew-cli-');
const root = join(import.meta.dirname, '..', '..', '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');

let ca: CaProcess;
let card: IssuedCard;
let work: string;
let env: NodeJS.ProcessEnv;

/** `onStderr` sees standard error as it grows (to act when the CLI says it waits for the reader). */
function obnova(args: string[], stdin = '', options: { env?: NodeJS.ProcessEnv; onStderr?: (soFar: string) => void } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(tsx, [join(root, 'src-main/cli.ts'), ...args], { cwd: root, env: options.env ?? env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      options.onStderr?.(stderr);
    });
    child.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

beforeAll(async () => {
  ca = await startCaProcess();
  await ca.addHolder('H1', 'Ana', 'Novak', '0101990500123');
  card = await ca.issueCard('H1', 'ana-cli');
  work = mkdtempSync(join(tmpdir(), 'obnova-renew-cli-'));
  const appData = appDataTrustingCa('app-data');
  writeFileSync(join(work, 'billing.json'), JSON.stringify({ name: 'Ana Novak', street: 'Trubarjeva 5', postalCode: '1000', city: 'Ljubljana', country: 'SI', vatId: null, email: 'ana@example.si' }));
  env = { ...process.env, OBNOVA_PKCS11_MODULE: softhsmModule, OBNOVA_SERVICE_URL: ca.url, OBNOVA_APP_DATA: appData, LANG: 'en_GB.UTF-8' };
}, 180_000);

/** An app data folder whose trust folder holds the demo CA (as a user adds it). */
function appDataTrustingCa(name: string): string {
  const appData = join(work, name);
  mkdirSync(join(appData, 'trust'), { recursive: true });
  writeFileSync(join(appData, 'trust', 'obnova-demo.pem'), toPem(ca.root.der, 'CERTIFICATE') + toPem(ca.issuing.der, 'CERTIFICATE'));
  return appData;
}

afterAll(async () => {
  await ca?.cleanup();
  rmSync(work, { recursive: true, force: true });
  hsm.cleanup();
});

describe('obnova renew', () => {
  let orderId = '';
  let serial = '';

  it('check: every row passes and the renewal is on the same card', async () => {
    const r = await obnova(['renew', 'check', '--token-label', card.tokenLabel, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const view = JSON.parse(r.stdout) as { eligible: boolean; path: string; checks: { status: string }[]; revocationSource: string };
    expect(view).toMatchObject({ eligible: true, path: 'existing-media', revocationSource: 'ocsp' });
    expect(view.checks.every((c) => c.status === 'pass')).toBe(true);
    const text = await obnova(['renew', 'check', '--token-label', card.tokenLabel, '--lang', 'sl']);
    expect(text.stdout).toContain('To potrdilo lahko obnovite prek spleta.');
  });

  it('order: refuses a PIN on the command line; signs with the PIN from stdin and keeps the order', async () => {
    const argvPin = await obnova(['renew', 'order', '--token-label', card.tokenLabel, '--billing', join(work, 'billing.json')]);
    expect(argvPin.code).toBe(1);
    const r = await obnova(['renew', 'order', '--token-label', card.tokenLabel, '--billing', join(work, 'billing.json'), '--pin-stdin', '--json'], `${card.pin}\n`);
    expect(r.stderr).toBe('');
    const order = JSON.parse(r.stdout) as { orderId: string; status: string };
    expect(order.status).toBe('awaiting-payment');
    orderId = order.orderId;
  });

  it('status follows the order after payment; receive writes the new certificate next to a new key on the same card', async () => {
    const before = { keys: objectIds(card, 'privkey'), certs: objectIds(card, 'cert') };
    await ca.markPaid(orderId);
    const status = await obnova(['renew', 'status', '--json']);
    expect((JSON.parse(status.stdout) as { orders: { status: string }[] }).orders[0]?.status).toBe('ready-for-pickup');
    const r = await obnova(['renew', 'receive', '--pin-stdin', '--json'], `${card.pin}\n`);
    expect(r.stderr).toBe('');
    const result = JSON.parse(r.stdout) as { status: string; keyId: string; serial: string };
    expect(result.status).toBe('completed');
    serial = result.serial;
    const after = { keys: objectIds(card, 'privkey'), certs: objectIds(card, 'cert') };
    expect(after.keys).toHaveLength(before.keys.length + 1);
    expect(after.keys).toContain(result.keyId);
    expect(after.certs).toEqual(expect.arrayContaining([...before.certs, result.keyId]));
    const done = await obnova(['renew', 'status', '--json']);
    expect((JSON.parse(done.stdout) as { orders: { status: string }[] }).orders[0]?.status).toBe('completed');
  });

  it('export: the new certificate as DER, p7b with its chain and the PDF data sheet; openssl verifies it', async () => {
    const list = JSON.parse((await obnova(['certs', '--token-label', card.tokenLabel, '--json'])).stdout) as { certificates: { objectId: string; serialNumber: string }[] };
    const fresh = list.certificates.find((c) => c.serialNumber === serial)!;
    expect(fresh).toBeTruthy();
    const der = join(work, 'new.cer');
    const p7b = join(work, 'new.p7b');
    const pdf = join(work, 'new.pdf');
    for (const [format, out] of [['der', der], ['p7b', p7b], ['pdf', pdf]] as const) {
      const r = await obnova(['export', '--token-label', card.tokenLabel, '--id', fresh.objectId, '--format', format, '--out', out]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    }
    const chain = spawnSync('openssl', ['pkcs7', '-inform', 'DER', '-in', p7b, '-print_certs'], { encoding: 'utf8' });
    expect(chain.status).toBe(0);
    writeFileSync(join(work, 'chain.pem'), chain.stdout);
    writeFileSync(join(work, 'new.pem'), toPem(new Uint8Array(readFileSync(der)), 'CERTIFICATE'));
    const verify = spawnSync('openssl', ['verify', '-CAfile', join(work, 'chain.pem'), join(work, 'new.pem')], { encoding: 'utf8' });
    expect(verify.stdout.trim(), verify.stderr).toBe(`${join(work, 'new.pem')}: OK`);
    const text = spawnSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).stdout;
    expect(text).toContain('Certificate data sheet');
    expect(text).toContain(serial);
  });
});

describe('obnova renew on a reader with a PIN pad (--pin-pad)', () => {
  let shim: CardShim;
  let padCard: IssuedCard;
  let padEnv: NodeJS.ProcessEnv;
  const billing = () => join(work, 'billing.json');
  const waitsForReader = /type the card's PIN on the reader's keypad/;

  beforeAll(async () => {
    await ca.addHolder('H2', 'Maja', 'Kovač', '0101990500003');
    padCard = await ca.issueCard('H2', 'maja-pad');
    // Every token behind the shim sits in a PIN-pad reader; the pad's entries come from its queue file.
    shim = createCardShim({ dir: hsm.dir, env: { SOFTHSM2_CONF: hsm.conf }, modulePath: softhsmModule }, { pinPad: 'all' });
    padEnv = { ...env, ...shim.env, OBNOVA_PKCS11_MODULE: shim.modulePath, OBNOVA_APP_DATA: appDataTrustingCa('app-data-pad') };
  }, 120_000);

  const orders = async () => (JSON.parse((await obnova(['renew', 'status', '--json'], '', { env: padEnv })).stdout) as { orders: { orderId: string; status: string }[] }).orders;

  it('order: --pin-pad and --pin-stdin together are refused; Cancel on the reader places no order; the PIN typed on the reader signs it', async () => {
    const both = await obnova(['renew', 'order', '--token-label', padCard.tokenLabel, '--billing', billing(), '--pin-pad', '--pin-stdin'], `${padCard.pin}\n`, { env: padEnv });
    expect(both.code).toBe(1);
    expect(both.stderr).toContain('choose --pin-stdin or --pin-pad, not both');

    shim.typeOnPad('CANCEL');
    const cancelled = await obnova(['renew', 'order', '--token-label', padCard.tokenLabel, '--billing', billing(), '--pin-pad', '--json'], '', { env: padEnv });
    expect(cancelled.code).not.toBe(0);
    expect(cancelled.stdout + cancelled.stderr).toContain('CANCELLED');
    expect(await orders()).toEqual([]);

    // Nothing is queued until the CLI says it waits for the reader: the holder types when asked.
    let typed = false;
    const r = await obnova(['renew', 'order', '--token-label', padCard.tokenLabel, '--billing', billing(), '--pin-pad', '--json'], '', {
      env: padEnv,
      onStderr: (soFar) => {
        if (!typed && waitsForReader.test(soFar)) {
          typed = true;
          shim.typeOnPad(padCard.pin);
        }
      },
    });
    expect(typed).toBe(true);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'awaiting-payment' });
    expect(shim.padPending()).toEqual([]);
    expect((await orders()).map((o) => o.status)).toEqual(['awaiting-payment']);
  });

  it('receive: Cancel on the reader leaves the card as it was (no new key); the PIN typed on the reader receives the certificate', async () => {
    const [order] = await orders();
    await ca.markPaid(order!.orderId);
    const before = { keys: objectIds(padCard, 'privkey'), certs: objectIds(padCard, 'cert') };

    shim.typeOnPad('CANCEL');
    const cancelled = await obnova(['renew', 'receive', '--pin-pad', '--json'], '', { env: padEnv });
    expect(cancelled.code).not.toBe(0);
    expect(cancelled.stdout + cancelled.stderr).toContain('CANCELLED');
    expect(objectIds(padCard, 'privkey')).toEqual(before.keys);
    expect(objectIds(padCard, 'cert')).toEqual(before.certs);

    let typed = false;
    const r = await obnova(['renew', 'receive', '--pin-pad', '--json'], '', {
      env: padEnv,
      onStderr: (soFar) => {
        if (!typed && waitsForReader.test(soFar)) {
          typed = true;
          shim.typeOnPad(padCard.pin);
        }
      },
    });
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as { status: string; keyId: string };
    expect(result.status).toBe('completed');
    expect(shim.padPending()).toEqual([]);
    expect(objectIds(padCard, 'privkey')).toEqual(expect.arrayContaining([...before.keys, result.keyId]));
    expect(objectIds(padCard, 'privkey')).toHaveLength(before.keys.length + 1);
    expect(objectIds(padCard, 'cert')).toContain(result.keyId);
  });
});
