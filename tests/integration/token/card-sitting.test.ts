/**
 * One sitting with a card, as the renewal does it: one login, a key pair generated on the card, the
 * CSR-style signature with it, the certificate written next to it — checked with pkcs11-tool, p11tool
 * and node:crypto, never with our own reader.
 */
import { createHash, createPublicKey, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInput, planSignature } from '../../../src-main/token/mechanisms.js';
import { createTokenService, type TokenService } from '../../../src-main/token/token-service.js';
import { createSoftHsm, createTestCa, issueCertificate, type SoftHsmToken } from '../../helpers/softhsm.js';
import pkcs11js from 'pkcs11js';
import { codeOf } from '../../helpers/error-code.js';

const hsm = createSoftHsm();
let token: SoftHsmToken;
let service: TokenService;
const work = mkdtempSync(join(tmpdir(), 'obnova-sitting-'));

beforeAll(() => {
  token = hsm.createToken({ label: 'Sitting', pin: '4711', soPin: '87654321' });
  service = createTokenService({
    module: { path: hsm.modulePath, source: 'probe', name: 'SoftHSM 2', id: 'softhsm2', tokenRescan: 'reinitialize', pinUnblockStrategy: 'so-login-init-pin' },
  });
});
afterAll(async () => {
  await service.close();
  hsm.cleanup();
  rmSync(work, { recursive: true, force: true });
});

/** pkcs11-tool -O after login, split into object blocks. */
function listedObjects(): Array<{ kind: string; text: string; id: string | null }> {
  const out = hsm.pkcs11Tool(['--token-label', token.label, '--login', '--pin', token.pin, '-O']);
  return out
    .split(/\n(?=\S)/)
    .filter((b) => /Object;/.test(b))
    .map((text) => ({ kind: text.split(';')[0]!.trim(), text, id: /ID:\s*([0-9a-f]+)/.exec(text)?.[1] ?? null }));
}

function readCertWithTool(id: string): Buffer {
  const file = join(work, `${id}.der`);
  hsm.pkcs11Tool(['--token-label', token.label, '--read-object', '--type', 'cert', '--id', id, '--output-file', file]);
  return readFileSync(file);
}

describe('a sitting: login once, generate, sign, write', () => {
  it('refuses card work before login and reports the PIN state without a PIN', async () => {
    const state = await service.pinState(token.slotId);
    expect(state).toMatchObject({ locked: false, finalTry: false, minLength: 4, maxLength: 255 });
    expect(await codeOf(service.generateKeyPair(token.slotId, { type: 'EC', curve: 'P-256', label: 'x' }))).toBe('TOKEN_NOT_LOGGED_IN');
    expect(await service.isLoggedIn(token.slotId)).toBe(false);
  });

  it('keeps the login across listings, watch polls and other calls (SoftHSM rescan never reinitializes under a session)', async () => {
    await service.login(token.slotId, token.pin);
    expect(await service.isLoggedIn(token.slotId)).toBe(true);
    await service.listTokens();
    await service.listCertificates({ slotId: token.slotId });
    let polls = 0;
    const stop = service.watch(() => polls++, 20);
    await new Promise((r) => setTimeout(r, 120));
    stop();
    expect(await service.isLoggedIn(token.slotId)).toBe(true);
    expect(await service.mechanisms(token.slotId)).toEqual(expect.arrayContaining(['CKM_RSA_PKCS', 'CKM_SHA256_RSA_PKCS', 'CKM_ECDSA', 'CKM_EC_KEY_PAIR_GEN']));
  });

  it('checks a PIN typed in a sitting already logged in (a wrong one fails and ends the login) and takes { sitting: true } only while logged in', async () => {
    expect(await service.isLoggedIn(token.slotId)).toBe(true);
    expect(await service.login(token.slotId, { sitting: true })).toMatchObject({ locked: false });
    expect(await codeOf(service.login(token.slotId, '0000'))).toBe('TOKEN_PIN_INCORRECT');
    expect(await service.isLoggedIn(token.slotId)).toBe(false);
    expect(await codeOf(service.login(token.slotId, { sitting: true }))).toBe('TOKEN_NOT_LOGGED_IN');
    await service.login(token.slotId, token.pin);
    expect(await service.isLoggedIn(token.slotId)).toBe(true);
  });

  it('RSA-2048: generates on the card with CKA_ID = SHA-1(modulus), signs, writes the certificate; pkcs11-tool agrees', async () => {
    const key = await service.generateKeyPair(token.slotId, { type: 'RSA', size: 2048, label: 'Obnova 2026' });
    const publicKey = createPublicKey({ key: Buffer.from(key.publicKeySpki), format: 'der', type: 'spki' });
    const modulus = Buffer.from(publicKey.export({ format: 'jwk' }).n!, 'base64url');
    expect(key.id).toBe(createHash('sha1').update(modulus).digest('hex'));

    const signer = service.signer(token.slotId, key.id, 'RSASSA-PKCS1-v1_5-SHA256');
    const data = Buffer.from('CertificationRequestInfo stand-in');
    const signature = await signer.sign(data);
    expect(verify('sha256', data, publicKey, Buffer.from(signature))).toBe(true);

    // CKM_RSA_PKCS over our DigestInfo (the path for cards without hash mechanisms) gives the same
    // deterministic PKCS#1 v1.5 signature — made here by pkcs11-tool in its own process.
    const plan = planSignature('RSASSA-PKCS1-v1_5-SHA256', new Set([pkcs11js.CKM_RSA_PKCS]));
    writeFileSync(join(work, 'digestinfo'), signInput(plan, data));
    hsm.pkcs11Tool(['--token-label', token.label, '--login', '--pin', token.pin, '--sign', '-m', 'RSA-PKCS', '--id', key.id, '-i', join(work, 'digestinfo'), '-o', join(work, 'sig')]);
    expect(readFileSync(join(work, 'sig')).equals(Buffer.from(signature))).toBe(true);

    const ca = await createTestCa();
    const { der } = await issueCertificate({ publicKeySpki: key.publicKeySpki, subject: { commonName: 'Ana Novak', country: 'SI' }, ca });
    const written = await service.writeCertificate(token.slotId, der, { label: 'Obnova 2026', chain: [ca.der] });
    expect(written).toEqual({ id: key.id, written: true, chainWritten: 1 });

    const objects = listedObjects().filter((o) => o.id === key.id);
    expect(objects.map((o) => o.kind).sort()).toEqual(['Certificate Object', 'Private Key Object', 'Public Key Object']);
    const privateKey = objects.find((o) => o.kind === 'Private Key Object')!.text;
    expect(privateKey).toMatch(/sensitive/);
    expect(privateKey).toMatch(/never extractable/);
    expect(privateKey).toMatch(/label:\s*Obnova 2026/);
    expect(readCertWithTool(key.id).equals(Buffer.from(der))).toBe(true);
    // The CA certificate is there too, under the SHA-1 of its own key.
    expect(listedObjects().filter((o) => o.kind === 'Certificate Object')).toHaveLength(2);

    // Writing the same certificate again stores nothing new.
    expect(await service.writeCertificate(token.slotId, der, { label: 'Obnova 2026', chain: [ca.der] })).toEqual({ id: key.id, written: false, chainWritten: 0 });
  });

  it('EC P-256: CKA_ID = SHA-1(point), ECDSA signature returned as DER, certificate visible to p11tool', async () => {
    const key = await service.generateKeyPair(token.slotId, { type: 'EC', curve: 'P-256', label: 'EC key' });
    const publicKey = createPublicKey({ key: Buffer.from(key.publicKeySpki), format: 'der', type: 'spki' });
    const jwk = publicKey.export({ format: 'jwk' });
    const point = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]);
    expect(key.id).toBe(createHash('sha1').update(point).digest('hex'));

    const data = Buffer.from('signed attributes stand-in');
    const signature = await service.signer(token.slotId, key.id, 'ECDSA-P256-SHA256').sign(data);
    expect(signature[0]).toBe(0x30);
    expect(verify('sha256', data, { key: publicKey, dsaEncoding: 'der' }, Buffer.from(signature))).toBe(true);

    const { der } = await issueCertificate({ publicKeySpki: key.publicKeySpki, subject: 'CN=Ana Novak EC,C=SI' });
    expect((await service.writeCertificate(token.slotId, der, { label: 'EC key' })).id).toBe(key.id);
    expect(readCertWithTool(key.id).equals(Buffer.from(der))).toBe(true);

    const p11 = execFileSync('p11tool', ['--provider', hsm.modulePath, '--list-all-certs', `pkcs11:token=${token.label}`], { env: hsm.env, encoding: 'utf8' });
    const idColons = key.id.match(/../g)!.join(':');
    expect(p11).toContain(`ID: ${idColons}`);
    expect(p11).toContain('Label: EC key');
  });

  it('refuses a certificate whose key is not on the card, and a signature with the wrong key type', async () => {
    const ca = await createTestCa();
    const keys = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
    const spki = new Uint8Array(await crypto.subtle.exportKey('spki', keys.publicKey));
    const { der } = await issueCertificate({ publicKeySpki: spki, subject: 'CN=Someone Else', ca });
    expect(await codeOf(service.writeCertificate(token.slotId, der, { label: 'foreign' }))).toBe('TOKEN_CERTIFICATE_KEY_MISMATCH');
    const ecId = listedObjects().find((o) => o.kind === 'Private Key Object' && /EC/.test(o.text))!.id!;
    expect(await codeOf(service.signer(token.slotId, ecId, 'RSASSA-PKCS1-v1_5-SHA256').sign(new Uint8Array(1)))).toBe('TOKEN_MECHANISM_UNSUPPORTED');
    expect(await codeOf(service.signer(token.slotId, 'ffff', 'ECDSA-P256-SHA256').sign(new Uint8Array(1)))).toBe('TOKEN_KEY_NOT_FOUND');
  });

  it('writes a certificate for an EC key whose public key object is gone, proving the key by a signature', async () => {
    const key = await service.generateKeyPair(token.slotId, { type: 'EC', curve: 'P-256', label: 'no public object' });
    expect(await service.deleteObject(token.slotId, 'public-key', key.id)).toBe(1);
    const { der } = await issueCertificate({ publicKeySpki: key.publicKeySpki, subject: 'CN=Proof' });
    expect(await service.writeCertificate(token.slotId, der, { label: 'proof' })).toMatchObject({ id: key.id, written: true });
    expect(readCertWithTool(key.id).equals(Buffer.from(der))).toBe(true);
    await service.deleteObject(token.slotId, 'certificate', key.id);
    await service.deleteObject(token.slotId, 'private-key', key.id);
  });

  it('deletes an object only when asked, and logout ends the sitting', async () => {
    const ecId = listedObjects().find((o) => o.kind === 'Certificate Object' && /EC key/.test(o.text))!.id!;
    expect(await service.deleteObject(token.slotId, 'certificate', ecId)).toBe(1);
    expect(listedObjects().filter((o) => o.id === ecId).map((o) => o.kind).sort()).toEqual(['Private Key Object', 'Public Key Object']);
    expect(await codeOf(service.deleteObject(token.slotId, 'certificate', ecId))).toBe('TOKEN_OBJECT_NOT_FOUND');
    await service.logout(token.slotId);
    expect(await service.isLoggedIn(token.slotId)).toBe(false);
    expect(await codeOf(service.signer(token.slotId, ecId, 'ECDSA-P256-SHA256').sign(new Uint8Array(1)))).toBe('TOKEN_NOT_LOGGED_IN');
  });
});
