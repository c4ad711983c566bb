import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ObnovaError } from '../../../src-shared/contract/errors.js';
import { fingerprint, formatFingerprint } from '../../../src-shared/pki/fingerprint.js';
import { derFromPemOrDer, fromPem, fromPemAll, toPem } from '../../../src-shared/pki/pem.js';
import { decodePkcs7Chain, encodePkcs7Chain } from '../../../src-shared/pki/pkcs7-chain.js';
import { ecdsaDerToRaw, ecdsaRawToDer } from '../../../src-shared/pki/ecdsa-signature.js';
import { createTestPki, tempDir, type TestPki, writeIssued } from '../../helpers/pki/pki-factory.js';
import { openssl } from '../../helpers/pki/openssl.js';

let pki: TestPki;
let dir: string;
beforeAll(async () => {
  pki = await createTestPki();
  dir = tempDir();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('PEM, fingerprints and PKCS#7 chains', () => {
  it('PEM written here is read by openssl and read back identically', () => {
    const pem = toPem(pki.person.der, 'CERTIFICATE');
    expect(pem.split('\n').every((l) => l.length <= 64)).toBe(true);
    const r = openssl(['x509', '-noout', '-subject'], pem);
    expect(r.status).toBe(0);
    expect(fromPem(pem, 'CERTIFICATE')).toEqual(pki.person.der);
    expect(derFromPemOrDer(new TextEncoder().encode(pem), 'CERTIFICATE')).toEqual(pki.person.der);
    expect(derFromPemOrDer(pki.person.der, 'CERTIFICATE')).toEqual(pki.person.der);
    expect(fromPemAll(pem + toPem(pki.root.der, 'CERTIFICATE')).length).toBe(2);
  });

  it('a missing or broken PEM block is PKI_PEM_INVALID', () => {
    for (const text of ['nothing here', '-----BEGIN CERTIFICATE-----\n@@@\n-----END CERTIFICATE-----']) {
      expect(() => fromPem(text, 'CERTIFICATE')).toThrow(ObnovaError);
      try {
        fromPem(text, 'CERTIFICATE');
      } catch (e) {
        expect((e as ObnovaError).code).toBe('PKI_PEM_INVALID');
      }
    }
  });

  it('fingerprints match openssl', async () => {
    const sha1 = await fingerprint(pki.person.der, 'SHA-1');
    const r = openssl(['x509', '-inform', 'DER', '-noout', '-fingerprint', '-sha1'], pki.person.der);
    expect(r.stdout.trim()).toBe(`sha1 Fingerprint=${formatFingerprint(sha1)}`);
    expect(await fingerprint(pki.person.der)).toBe(pki.person.certificate.fingerprintSha256);
  });

  it('a PKCS#7 chain written here is listed by openssl pkcs7 -print_certs in order', async () => {
    const der = encodePkcs7Chain([pki.person.certificate, pki.issuing.certificate, pki.root.certificate]);
    const r = openssl(['pkcs7', '-inform', 'DER', '-print_certs', '-noout'], der);
    expect(r.status, r.stderr).toBe(0);
    const subjects = r.stdout.split('\n').filter((l) => l.startsWith('subject='));
    expect(subjects).toHaveLength(3);
    expect(subjects[0]).toContain('Ana Novak');
    expect(subjects[2]).toContain('Root CA');
    expect((await decodePkcs7Chain(der)).map((c) => c.fingerprintSha256)).toEqual([pki.person, pki.issuing, pki.root].map((i) => i.certificate.fingerprintSha256));
  });

  it('a PKCS#7 chain made by openssl crl2pkcs7 is read here', async () => {
    const chain = join(dir, 'chain.pem');
    writeFileSync(chain, [pki.person, pki.issuing].map((i) => toPem(i.der, 'CERTIFICATE')).join(''));
    await writeIssued(dir, 'unused', pki.root);
    const r = openssl(['crl2pkcs7', '-nocrl', '-certfile', chain, '-outform', 'DER']);
    expect(r.status).toBe(0);
    const certs = await decodePkcs7Chain(r.stdoutBytes);
    expect(certs.map((c) => c.subjectCommonName).sort()).toEqual(['Ana Novak', 'Obnova Test Qualified CA']);
  });

  it('non-PKCS#7 input is PKCS7_PARSE_FAILED', async () => {
    const error = await decodePkcs7Chain(pki.person.der).catch((e: unknown) => e);
    expect((error as ObnovaError).code).toBe('PKCS7_PARSE_FAILED');
  });

  it('ECDSA raw and DER signatures convert both ways, including high-bit and leading-zero halves', () => {
    const raw = new Uint8Array(64);
    raw[0] = 0x80; // r needs a 0x00 pad in DER
    raw[63] = 0x01; // s is mostly leading zeros
    const der = ecdsaRawToDer(raw);
    expect(ecdsaDerToRaw(der, 32)).toEqual(raw);
    const asn = openssl(['asn1parse', '-inform', 'DER'], der);
    expect(asn.stdout).toContain('INTEGER');
    expect(ecdsaDerToRaw(new Uint8Array([1, 2, 3]), 32)).toBeNull();
  });
});
