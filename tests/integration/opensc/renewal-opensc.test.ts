/**
 * The whole renewal on the second card world: OpenSC's own opensc-pkcs11.so over PC/SC to the IsoApplet
 * emulator, driven by the app's CLI (the app's code). Listing without a PIN (OpenSC hides private keys
 * until login, so the key is known from the public key object), eligibility, the order signed on the card,
 * receive with a key generated on the card under the CKA_ID OpenSC assigns, the certificate written under
 * it and read back, export; the outcome checked with pkcs11-tool and openssl.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { toPem } from '../../../src-shared/pki/pem.js';
import { issueOntoOpenscCard, type OpenscHolderCard } from './holder-card.js';
import { useOpenscApp } from './opensc-app.js';

const app = useOpenscApp([['H1', 'Ana', 'Novak', '0101990500123']]);
let card: OpenscHolderCard;

interface Listed {
  certificates: Array<{ objectId: string; serialNumber: string; hasPrivateKey: boolean; privateKeyEvidence: string; isCertificateAuthority: boolean; tokenLabel: string }>;
}
const ids = (listing: string, kind: 'Private Key' | 'Public Key' | 'Certificate') =>
  [...listing.matchAll(new RegExp(`${kind} Object;[^\\n]*\\n(?:\\s+[^\\n]*\\n)*?\\s+ID:\\s+([0-9a-f]+)`, 'g'))].map((m) => m[1]!);

beforeAll(async () => {
  card = await issueOntoOpenscCard(app.world, app.ca, { holderId: 'H1', name: 'Ana Novak', pin: '4711', puk: '1234567890123456', serial: '0b0a0000000001' });
  writeFileSync(join(app.work, 'billing.json'), JSON.stringify({ name: 'Ana Novak', street: 'Trubarjeva 5', postalCode: '1000', city: 'Ljubljana', country: 'SI', vatId: null, email: 'ana@example.si' }));
}, 180_000);

describe('the renewal through OpenSC, PC/SC and the virtual IsoApplet card', () => {
  let orderId = '';
  let result: { status: string; keyId: string; serial: string };

  it('lists the holder certificate without a PIN: the private key is hidden, the public key object proves the pair', async () => {
    const r = await app.obnova(['certs', '--json']);
    expect(r.stderr).toBe('');
    const holder = (JSON.parse(r.stdout) as Listed).certificates.find((c) => !c.isCertificateAuthority)!;
    expect(holder).toMatchObject({ objectId: card.keyId, tokenLabel: card.tokenLabel, hasPrivateKey: true, privateKeyEvidence: 'public-key-object' });
    expect(ids(await app.world.tool('pkcs11-tool', ['-O']), 'Private Key')).toEqual([]);
  });

  it('check: eligible, on the same card', async () => {
    const r = await app.obnova(['renew', 'check', '--token-label', card.tokenLabel, '--json']);
    expect(r.stderr).toBe('');
    const view = JSON.parse(r.stdout) as { eligible: boolean; path: string; checks: Array<{ id: string; status: string }> };
    expect(view).toMatchObject({ eligible: true, path: 'existing-media' });
    expect(view.checks.filter((c) => c.status !== 'pass')).toEqual([]);
  });

  it('order: signed on the card with the PIN from stdin', async () => {
    const r = await app.obnova(['renew', 'order', '--token-label', card.tokenLabel, '--billing', join(app.work, 'billing.json'), '--pin-stdin', '--json'], `${card.pin}\n`);
    expect(r.stderr).toBe('');
    const order = JSON.parse(r.stdout) as { orderId: string; status: string };
    expect(order.status).toBe('awaiting-payment');
    orderId = order.orderId;
  }, 60_000);

  it('receive: a new key generated on the card, its certificate written under the CKA_ID OpenSC gave it; the old certificate kept', async () => {
    const before = await app.world.tool('pkcs11-tool', ['--login', '--pin', card.pin, '-O']);
    await app.ca.markPaid(orderId);
    const r = await app.obnova(['renew', 'receive', '--pin-stdin', '--json'], `${card.pin}\n`);
    expect(r.stderr).toBe('');
    result = JSON.parse(r.stdout) as typeof result;
    expect(result.status).toBe('completed');
    const after = await app.world.tool('pkcs11-tool', ['--login', '--pin', card.pin, '-O']);
    expect(ids(after, 'Private Key')).toEqual([...ids(before, 'Private Key'), result.keyId]);
    expect(ids(after, 'Public Key')).toContain(result.keyId);
    expect(ids(after, 'Certificate')).toEqual(expect.arrayContaining([card.keyId, 'ca01', 'ca02', result.keyId]));
    expect(result.keyId).not.toBe(card.keyId);
  }, 120_000);

  it('the new certificate read back with pkcs11-tool verifies with openssl against the CA, and its key is the one on the card', async () => {
    const der = join(app.work, 'new.der');
    await app.world.tool('pkcs11-tool', ['--read-object', '--type', 'cert', '--id', result.keyId, '--output-file', der]);
    writeFileSync(join(app.work, 'new.pem'), toPem(new Uint8Array(readFileSync(der)), 'CERTIFICATE'));
    writeFileSync(join(app.work, 'ca.pem'), toPem(app.ca.root.der, 'CERTIFICATE') + toPem(app.ca.issuing.der, 'CERTIFICATE'));
    const verify = spawnSync('openssl', ['verify', '-CAfile', join(app.work, 'ca.pem'), join(app.work, 'new.pem')], { encoding: 'utf8' });
    expect(verify.stdout.trim(), verify.stderr).toBe(`${join(app.work, 'new.pem')}: OK`);
    const pub = join(app.work, 'new-pub.der');
    await app.world.tool('pkcs11-tool', ['--read-object', '--type', 'pubkey', '--id', result.keyId, '--output-file', pub]);
    const certKey = spawnSync('openssl', ['x509', '-in', join(app.work, 'new.pem'), '-noout', '-pubkey'], { encoding: 'utf8' }).stdout;
    const cardKey = spawnSync('openssl', ['pkey', '-pubin', '-inform', 'DER', '-in', pub], { encoding: 'utf8' }).stdout;
    expect(certKey).toBe(cardKey);
  });

  it('export: the new certificate as DER and p7b with its chain; openssl verifies the exported copy', async () => {
    const list = JSON.parse((await app.obnova(['certs', '--token-label', card.tokenLabel, '--json'])).stdout) as Listed;
    expect(list.certificates.find((c) => c.serialNumber === result.serial)).toMatchObject({ objectId: result.keyId, privateKeyEvidence: 'public-key-object' });
    const p7b = join(app.work, 'new.p7b');
    const r = await app.obnova(['export', '--token-label', card.tokenLabel, '--id', result.keyId, '--format', 'p7b', '--out', p7b]);
    expect(r.stderr).toBe('');
    const chain = spawnSync('openssl', ['pkcs7', '-inform', 'DER', '-in', p7b, '-print_certs'], { encoding: 'utf8' });
    writeFileSync(join(app.work, 'chain.pem'), chain.stdout);
    const verify = spawnSync('openssl', ['verify', '-CAfile', join(app.work, 'chain.pem'), join(app.work, 'new.pem')], { encoding: 'utf8' });
    expect(verify.stdout.trim(), verify.stderr).toBe(`${join(app.work, 'new.pem')}: OK`);
  });
});
