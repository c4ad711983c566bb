/**
 * The Signer interface with a key on a token: SoftHSM2 through node-webcrypto-p11 (as the token layer will
 * use it), checked by openssl. The private key never leaves the token.
 */
import 'reflect-metadata';
import type { webcrypto } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Crypto as P11Crypto } from 'node-webcrypto-p11';
import * as x509 from '@peculiar/x509';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Certificate } from '../../../src-shared/pki/certificate.js';
import { signCms } from '../../../src-shared/pki/cms-sign.js';
import { verifyCms } from '../../../src-shared/pki/cms-verify.js';
import { buildCsr, parseAndVerifyCsr } from '../../../src-shared/pki/csr.js';
import { toPem } from '../../../src-shared/pki/pem.js';
import { type SignerAlgorithm, softwareSigner, type SubtleSigner } from '../../../src-shared/pki/signer.js';
import { type WebCryptoKey } from '../../../src-shared/pki/webcrypto-types.js';
import { createSoftHsm, type SoftHsm } from '../../helpers/softhsm.js';
import { createTestPki, personSubject, tempDir, type TestPki, writeIssued } from '../../helpers/pki/pki-factory.js';
import { openssl } from '../../helpers/pki/openssl.js';

let hsm: SoftHsm;
let p11: P11Crypto;
let pki: TestPki;
let dir: string;

beforeAll(async () => {
  hsm = createSoftHsm();
  const token = hsm.createToken({ label: 'obnova-pki' });
  p11 = new P11Crypto({ library: hsm.modulePath, slot: 0, readWrite: true, pin: token.pin });
  pki = await createTestPki();
  dir = tempDir();
  await writeIssued(dir, 'root', pki.root);
  await writeIssued(dir, 'issuing', pki.issuing);
}, 60_000);

afterAll(() => {
  p11?.close();
  hsm?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const cases: [string, SignerAlgorithm, object][] = [
  ['ECDSA P-256', 'ECDSA-P256-SHA256', { name: 'ECDSA', namedCurve: 'P-256' }],
  ['RSA-2048', 'RSASSA-PKCS1-v1_5-SHA256', { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 }],
];

describe.each(cases)('a %s key on a SoftHSM token as the Signer', (label, algorithm, params) => {
  it('signs a PKCS#10 that openssl accepts, and a CAdES CMS that openssl verifies', async () => {
    const keys = (await p11.subtle.generateKey(params as never, false, ['sign', 'verify'])) as unknown as { privateKey: WebCryptoKey; publicKey: WebCryptoKey };
    expect(keys.privateKey.extractable).toBe(false);
    const spki = new Uint8Array(await p11.subtle.exportKey('spki', keys.publicKey as never));
    const subtle = p11.subtle as unknown as SubtleSigner;

    const csrDer = await buildCsr({ subject: personSubject, publicKey: spki, signer: softwareSigner(keys.privateKey, { algorithm, subtle }) });
    const name = label.replace(/\W/g, '');
    writeFileSync(join(dir, `${name}.csr`), toPem(csrDer, 'CERTIFICATE REQUEST'));
    expect(openssl(['req', '-in', join(dir, `${name}.csr`), '-verify', '-noout']).stderr + '').toMatch(/verify OK/i);
    const request = await parseAndVerifyCsr(csrDer);

    // The CA issues for the requested key; the holder then signs with the card.
    const issued = await x509.X509CertificateGenerator.create({
      serialNumber: '0a1b2c3d',
      subject: request.pkcs10.subjectName,
      issuer: pki.issuing.x509.subjectName,
      notBefore: new Date(Date.now() - 60_000),
      notAfter: new Date(Date.now() + 86_400_000),
      publicKey: request.pkcs10.publicKey,
      signingKey: pki.issuing.keys.privateKey,
      signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' } as webcrypto.EcdsaParams,
      extensions: [new x509.KeyUsagesExtension(x509.KeyUsageFlags.nonRepudiation, true)],
    });
    const certificate = await Certificate.fromDer(new Uint8Array(issued.rawData));
    const content = new TextEncoder().encode(`order signed on the card (${label})`);
    const cms = await signCms(content, softwareSigner(keys.privateKey, { algorithm, subtle, certificate }), { chain: [pki.issuing.certificate] });
    writeFileSync(join(dir, `${name}.cms`), cms);
    const r = openssl(['cms', '-verify', '-binary', '-inform', 'DER', '-in', join(dir, `${name}.cms`), '-CAfile', join(dir, 'root.pem')]);
    expect(r.stderr).toContain('Verification successful');
    expect((await verifyCms(cms, { chain: { trustAnchors: [pki.root.certificate] } })).content).toEqual(content);
  }, 30_000);
});
