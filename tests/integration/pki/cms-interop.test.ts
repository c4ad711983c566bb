import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { signCms } from '../../../src-shared/pki/cms-sign.js';
import { verifyCms } from '../../../src-shared/pki/cms-verify.js';
import { softwareSigner } from '../../../src-shared/pki/signer.js';
import { createTestPki, tempDir, type KeyType, type TestPki, writeIssued } from '../../helpers/pki/pki-factory.js';
import { openssl } from '../../helpers/pki/openssl.js';
import { codeOf } from '../../helpers/error-code.js';

const content = new TextEncoder().encode('{"order":"A-1","nonce":"3q2+7w=="}\n');
const dirs: string[] = [];

async function setup(keyType: KeyType): Promise<{ pki: TestPki; dir: string }> {
  const pki = await createTestPki({ keyType });
  const dir = tempDir();
  dirs.push(dir);
  await writeIssued(dir, 'root', pki.root);
  await writeIssued(dir, 'issuing', pki.issuing);
  await writeIssued(dir, 'person', pki.person, true);
  await writeIssued(dir, 'legal', pki.legal, true);
  writeFileSync(join(dir, 'content.bin'), content);
  return { pki, dir };
}

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe.each(['EC', 'RSA'] as const)('CMS interop with openssl (%s keys)', (keyType) => {
  let pki: TestPki;
  let dir: string;
  beforeAll(async () => {
    ({ pki, dir } = await setup(keyType));
  }, 30_000);

  it('CMS signed here verifies with openssl cms -verify -binary', async () => {
    const signer = softwareSigner(pki.person.keys.privateKey, { certificate: pki.person.certificate });
    const der = await signCms(content, signer, { chain: [pki.issuing.certificate] });
    writeFileSync(join(dir, 'ours.der'), der);
    const r = openssl(['cms', '-verify', '-binary', '-inform', 'DER', '-in', join(dir, 'ours.der'), '-CAfile', join(dir, 'root.pem'), '-out', join(dir, 'ours.out')]);
    expect(r.stderr).toContain('Verification successful');
    expect(r.status).toBe(0);
    expect(new Uint8Array(readFileSync(join(dir, 'ours.out')))).toEqual(content);
  });

  it('CMS signed here verifies here with its chain, returning content, signer and signing time', async () => {
    const signingTime = new Date('2026-11-20T10:00:00Z');
    const signer = softwareSigner(pki.person.keys.privateKey, { certificate: pki.person.certificate });
    const der = await signCms(content, signer, { chain: [pki.issuing.certificate], signingTime });
    const v = await verifyCms(der, { chain: { trustAnchors: [pki.root.certificate], requireQualified: true } });
    expect(v.content).toEqual(content);
    expect(v.signer.fingerprintSha256).toBe(pki.person.certificate.fingerprintSha256);
    expect(v.path.map((c) => c.subjectCommonName)).toEqual(['Ana Novak', 'Obnova Test Qualified CA', 'Obnova Test Root CA']);
    expect(v.signingTime?.toISOString()).toBe(signingTime.toISOString());
  });

  it('CAdES CMS made by openssl cms -sign -cades verifies here', async () => {
    const out = join(dir, 'openssl-cades.der');
    const r = openssl(['cms', '-sign', '-binary', '-nodetach', '-cades', '-md', 'sha256', '-in', join(dir, 'content.bin'), '-signer', join(dir, 'person.pem'), '-inkey', join(dir, 'person.key'), '-certfile', join(dir, 'issuing.pem'), '-outform', 'DER', '-out', out]);
    expect(r.status, r.stderr).toBe(0);
    const v = await verifyCms(new Uint8Array(readFileSync(out)), { chain: { trustAnchors: [pki.root.certificate] } });
    expect(v.content).toEqual(content);
    expect(v.signer.subjectCommonName).toBe('Ana Novak');
  });

  it('streamed (BER, indefinite length) CMS from openssl verifies here', async () => {
    const out = join(dir, 'openssl-stream.der');
    const r = openssl(['cms', '-sign', '-binary', '-nodetach', '-stream', '-cades', '-in', join(dir, 'content.bin'), '-signer', join(dir, 'person.pem'), '-inkey', join(dir, 'person.key'), '-outform', 'DER', '-out', out]);
    expect(r.status, r.stderr).toBe(0);
    const v = await verifyCms(new Uint8Array(readFileSync(out)), { extraCertificates: [pki.issuing.certificate], chain: { trustAnchors: [pki.root.certificate] } });
    expect(v.content).toEqual(content);
  });

  it('plain CMS from openssl lacks signing-certificate-v2: refused by default, accepted when not required', async () => {
    const out = join(dir, 'openssl-plain.der');
    expect(openssl(['cms', '-sign', '-binary', '-nodetach', '-in', join(dir, 'content.bin'), '-signer', join(dir, 'person.pem'), '-inkey', join(dir, 'person.key'), '-outform', 'DER', '-out', out]).status).toBe(0);
    const der = new Uint8Array(readFileSync(out));
    expect(await codeOf(verifyCms(der))).toBe('CMS_ATTRIBUTE_MISSING');
    expect((await verifyCms(der, { requireSigningCertificate: false })).content).toEqual(content);
  });

  it('a CMS with two signers is CMS_MULTIPLE_SIGNERS', async () => {
    const out = join(dir, 'two.der');
    const r = openssl(['cms', '-sign', '-binary', '-nodetach', '-cades', '-in', join(dir, 'content.bin'), '-signer', join(dir, 'person.pem'), '-inkey', join(dir, 'person.key'), '-signer', join(dir, 'legal.pem'), '-inkey', join(dir, 'legal.key'), '-outform', 'DER', '-out', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(await codeOf(verifyCms(new Uint8Array(readFileSync(out))))).toBe('CMS_MULTIPLE_SIGNERS');
  });

  it('a CMS without the signer certificate is CMS_SIGNER_CERT_MISSING unless it is supplied', async () => {
    const out = join(dir, 'nocerts.der');
    expect(openssl(['cms', '-sign', '-binary', '-nodetach', '-cades', '-nocerts', '-in', join(dir, 'content.bin'), '-signer', join(dir, 'person.pem'), '-inkey', join(dir, 'person.key'), '-outform', 'DER', '-out', out]).status).toBe(0);
    const der = new Uint8Array(readFileSync(out));
    expect(await codeOf(verifyCms(der))).toBe('CMS_SIGNER_CERT_MISSING');
    expect((await verifyCms(der, { extraCertificates: [pki.person.certificate] })).signer.subjectCommonName).toBe('Ana Novak');
  });

  it('content changed after signing is CMS_DIGEST_MISMATCH here and a failure in openssl', async () => {
    const signer = softwareSigner(pki.person.keys.privateKey, { certificate: pki.person.certificate });
    const der = await signCms(content, signer);
    const at = Buffer.from(der).indexOf(Buffer.from('A-1'));
    expect(at).toBeGreaterThan(0);
    const changed = der.slice();
    changed[at + 2] = '9'.charCodeAt(0);
    expect(await codeOf(verifyCms(changed))).toBe('CMS_DIGEST_MISMATCH');
    writeFileSync(join(dir, 'changed.der'), changed);
    expect(openssl(['cms', '-verify', '-binary', '-noverify', '-inform', 'DER', '-in', join(dir, 'changed.der')]).status).not.toBe(0);
  });

  it('a signature by another key is CMS_BAD_SIGNATURE', async () => {
    // The legal person's key signs but the CMS names the natural person's certificate.
    const signer = { ...softwareSigner(pki.legal.keys.privateKey), certificate: pki.person.certificate };
    const der = await signCms(content, signer);
    expect(await codeOf(verifyCms(der))).toBe('CMS_BAD_SIGNATURE');
  });

  it('an untrusted signer is refused with the chain code', async () => {
    const signer = softwareSigner(pki.fromOtherCa.keys.privateKey, { certificate: pki.fromOtherCa.certificate });
    const der = await signCms(content, signer);
    expect(await codeOf(verifyCms(der, { chain: { trustAnchors: [pki.root.certificate] } }))).toBe('CERT_UNTRUSTED_ISSUER');
  });
});

describe('CMS with RSASSA-PSS from openssl', () => {
  it('verifies a CMS signed with -keyopt rsa_padding_mode:pss', async () => {
    const { pki, dir } = await setup('RSA');
    const out = join(dir, 'pss.der');
    const r = openssl(['cms', '-sign', '-binary', '-nodetach', '-cades', '-in', join(dir, 'content.bin'), '-signer', join(dir, 'person.pem'), '-inkey', join(dir, 'person.key'), '-keyopt', 'rsa_padding_mode:pss', '-outform', 'DER', '-out', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(openssl(['cms', '-cmsout', '-print', '-inform', 'DER', '-in', out]).stdout).toContain('rsassaPss');
    const v = await verifyCms(new Uint8Array(readFileSync(out)), { extraCertificates: [pki.issuing.certificate], chain: { trustAnchors: [pki.root.certificate] } });
    expect(v.content).toEqual(content);
  }, 30_000);
});
