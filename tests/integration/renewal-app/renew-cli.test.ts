/**
 * `obnova renew check|order|status|receive` and `obnova export` as separate processes against the real
 * service (obnova-ca in child processes) and a SoftHSM card: the first renewal ends with the new key and
 * certificate on the same card (pkcs11-tool), verifiable with openssl, and exports that openssl reads.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toPem } from '../../../src-shared/pki/pem.js';
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

function obnova(args: string[], stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(tsx, [join(root, 'src-main/cli.ts'), ...args], { cwd: root, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

beforeAll(async () => {
  ca = await startCaProcess();
  await ca.addHolder('H1', 'Ana', 'Novak', '0101990500123');
  card = await ca.issueCard('H1', 'ana-cli');
  work = mkdtempSync(join(tmpdir(), 'obnova-renew-cli-'));
  const appData = join(work, 'app-data');
  // The demo's CA is trusted through the user's trust folder.
  mkdirSync(join(appData, 'trust'), { recursive: true });
  writeFileSync(join(appData, 'trust', 'obnova-demo.pem'), toPem(ca.root.der, 'CERTIFICATE') + toPem(ca.issuing.der, 'CERTIFICATE'));
  writeFileSync(join(work, 'billing.json'), JSON.stringify({ name: 'Ana Novak', street: 'Trubarjeva 5', postalCode: '1000', city: 'Ljubljana', country: 'SI', vatId: null, email: 'ana@example.si' }));
  env = { ...process.env, OBNOVA_PKCS11_MODULE: softhsmModule, OBNOVA_SERVICE_URL: ca.url, OBNOVA_APP_DATA: appData, LANG: 'en_GB.UTF-8' };
}, 180_000);

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
