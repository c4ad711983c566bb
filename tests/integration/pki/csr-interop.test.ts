import 'reflect-metadata';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ObnovaError } from '../../../src-shared/contract/errors.js';
import { buildCsr, CertificateRequest, parseAndVerifyCsr } from '../../../src-shared/pki/csr.js';
import { fromPem, toPem } from '../../../src-shared/pki/pem.js';
import { softwareSigner } from '../../../src-shared/pki/signer.js';
import { generateKeys, personSubject, privateKeyPem, tempDir } from '../../helpers/pki/pki-factory.js';
import { openssl } from '../../helpers/pki/openssl.js';

let dir: string;
beforeAll(() => {
  dir = tempDir();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function spki(key: webcrypto.CryptoKey): Promise<Uint8Array> {
  return new Uint8Array(await webcrypto.subtle.exportKey('spki', key));
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof ObnovaError) return e.code;
    throw e;
  }
  throw new Error('expected a throw');
}

describe.each(['EC', 'RSA'] as const)('PKCS#10 interop with openssl (%s)', (keyType) => {
  it('a request built here passes openssl req -verify and keeps the subject order', async () => {
    const keys = await generateKeys(keyType);
    const der = await buildCsr({
      subject: personSubject,
      publicKey: await spki(keys.publicKey),
      signer: softwareSigner(keys.privateKey),
      extensions: [new x509.KeyUsagesExtension(x509.KeyUsageFlags.nonRepudiation, true)],
    });
    const path = join(dir, `ours-${keyType}.csr`);
    writeFileSync(path, toPem(der, 'CERTIFICATE REQUEST'));
    const r = openssl(['req', '-in', path, '-verify', '-noout', '-subject', '-nameopt', 'RFC2253']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).toMatch(/verify OK/i);
    expect(r.stdout).toContain('serialNumber=PNOSI-1234567890123,CN=Ana Novak,SN=Novak,GN=Ana,organizationIdentifier=VATSI-12345678,O=Obnova Test d.o.o.,C=SI');
    const parsed = await parseAndVerifyCsr(der);
    expect(parsed.holder.serialNumber).toBe('PNOSI-1234567890123');
    expect(parsed.extensions.map((e) => e.type)).toEqual(['2.5.29.15']);
  });

  it('a request made by openssl req parses and verifies here', async () => {
    const keys = await generateKeys(keyType);
    writeFileSync(join(dir, `k-${keyType}.key`), await privateKeyPem(keys.privateKey));
    const path = join(dir, `openssl-${keyType}.csr`);
    const r = openssl(['req', '-new', '-key', join(dir, `k-${keyType}.key`), '-subj', '/C=SI/O=Obnova Test d.o.o./CN=Ana Novak/serialNumber=PNOSI-1234567890123', '-sha256', '-out', path]);
    expect(r.status, r.stderr).toBe(0);
    const request = await parseAndVerifyCsr(fromPem(readFileSync(path, 'utf8'), 'CERTIFICATE REQUEST'));
    expect(request.holder.commonName).toBe('Ana Novak');
    expect(request.holder.serialNumber).toBe('PNOSI-1234567890123');
    expect(request.subjectPublicKeyInfo).toEqual(await spki(keys.publicKey));
    expect(request.keyAlgorithm.name).toBe(keyType);
  });

  it('a request signed by another key fails proof of possession with CSR_BAD_SIGNATURE', async () => {
    const keys = await generateKeys(keyType);
    const other = await generateKeys(keyType);
    const der = await buildCsr({ subject: 'CN=Ana Novak,C=SI', publicKey: await spki(keys.publicKey), signer: softwareSigner(other.privateKey) });
    const error = await parseAndVerifyCsr(der).catch((e: unknown) => e);
    expect((error as ObnovaError).code).toBe('CSR_BAD_SIGNATURE');
    writeFileSync(join(dir, 'bad.csr'), toPem(der, 'CERTIFICATE REQUEST'));
    // openssl 3.0 exits 0 here and only says so on stderr.
    const r = openssl(['req', '-in', join(dir, 'bad.csr'), '-verify', '-noout']);
    expect(r.stdout + r.stderr).toMatch(/verify failure/i);
  });
});

describe('PKCS#10 bad input', () => {
  it('truncated, empty, oversized and non-request DER are CSR_PARSE_FAILED', async () => {
    const keys = await generateKeys('EC');
    const der = await buildCsr({ subject: 'CN=x', publicKey: await spki(keys.publicKey), signer: softwareSigner(keys.privateKey) });
    for (let len = 0; len < der.length; len += 5) expect(codeOf(() => CertificateRequest.fromDer(der.subarray(0, len)))).toBe('CSR_PARSE_FAILED');
    expect(codeOf(() => CertificateRequest.fromDer(new Uint8Array(100_000)))).toBe('CSR_PARSE_FAILED');
    expect(codeOf(() => CertificateRequest.fromDer(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x00])))).toBe('CSR_PARSE_FAILED');
  });
});
