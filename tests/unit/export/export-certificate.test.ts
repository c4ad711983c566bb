import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportCertificate } from '../../../src-main/export/export-certificate.js';
import { issuerChain } from '../../../src-main/export/issuer-chain.js';
import { fingerprint, formatFingerprint } from '../../../src-shared/pki/fingerprint.js';
import { createTestPki, issue, personSubject, tempDir, type TestPki } from '../../helpers/pki/pki-factory.js';
import { openssl } from '../../helpers/pki/openssl.js';

let pki: TestPki;
let dir: string;

beforeAll(async () => {
  pki = await createTestPki({ keyType: 'EC' });
  dir = tempDir('obnova-export-');
});

function pdfText(bytes: Uint8Array, name: string): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  const r = spawnSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

/** `pdffonts` listing of a file pdfText wrote: name, type, encoding, emb sub uni. */
function pdfFonts(name: string): string {
  const r = spawnSync('pdffonts', [join(dir, name)], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

describe('exportCertificate', () => {
  it('DER is the certificate as on the card, and openssl reads it', async () => {
    const file = await exportCertificate({ certificate: pki.person.certificate, chain: [], format: 'der', locale: 'en' });
    expect(file.bytes).toEqual(pki.person.der);
    expect(file.mimeType).toBe('application/pkix-cert');
    expect(file.fileName).toBe(`ana-novak-${pki.person.certificate.serialNumber.slice(-8)}.cer`);
    const r = openssl(['x509', '-inform', 'DER', '-noout', '-serial', '-subject'], file.bytes);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.toLowerCase()).toContain(`serial=${pki.person.certificate.serialNumber}`);
  });

  it('PEM round-trips through openssl x509 to the same DER', async () => {
    const file = await exportCertificate({ certificate: pki.person.certificate, chain: [], format: 'pem', locale: 'en' });
    expect(new TextDecoder().decode(file.bytes)).toMatch(/^-----BEGIN CERTIFICATE-----\n[\s\S]+-----END CERTIFICATE-----\n$/);
    const r = openssl(['x509', '-outform', 'DER'], file.bytes);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdoutBytes).toEqual(pki.person.der);
  });

  it('p7b holds the certificate and its chain in order, as openssl pkcs7 -print_certs lists them', async () => {
    const chain = await issuerChain(pki.person.certificate, [pki.root.certificate, pki.otherCa.certificate, pki.issuing.certificate]);
    expect(chain.map((c) => c.subjectCommonName)).toEqual(['Obnova Test Qualified CA', 'Obnova Test Root CA']);
    const file = await exportCertificate({ certificate: pki.person.certificate, chain, format: 'p7b', locale: 'en' });
    expect(file.fileName.endsWith('.p7b')).toBe(true);
    const r = openssl(['pkcs7', '-inform', 'DER', '-print_certs', '-noout'], file.bytes);
    expect(r.status, r.stderr).toBe(0);
    const subjects = [...r.stdout.matchAll(/^subject=.*CN ?= ?([^,\n]+)/gm)].map((m) => m[1]);
    expect(subjects).toEqual(['Ana Novak', 'Obnova Test Qualified CA', 'Obnova Test Root CA']);
    // The exported chain verifies the certificate the way a bank's tooling would.
    const pems = join(dir, 'chain.pem');
    writeFileSync(pems, openssl(['pkcs7', '-inform', 'DER', '-print_certs'], file.bytes).stdout);
    const leaf = join(dir, 'leaf.der');
    writeFileSync(leaf, pki.person.der);
    const v = openssl(['verify', '-CAfile', pems, writePem(leaf)]);
    expect(v.stdout.trim(), v.stderr).toMatch(/: OK$/);
  });

  it('PDF data sheet shows holder, issuer, serial, validity, both fingerprints, key usage and QcStatements in words', async () => {
    const file = await exportCertificate({ certificate: pki.person.certificate, chain: [], format: 'pdf', locale: 'en' });
    expect(file.mimeType).toBe('application/pdf');
    const text = pdfText(file.bytes, 'sheet-en.pdf');
    const cert = pki.person.certificate;
    expect(text).toContain('Certificate data sheet');
    expect(text).toContain('Ana Novak');
    expect(text).toContain('PNOSI-1234567890123');
    expect(text).toContain('Obnova Test Qualified CA');
    expect(text).toContain(cert.serialNumber);
    const flat = text.replace(/\s+/g, '');
    expect(flat).toContain(formatFingerprint(await fingerprint(cert.der, 'SHA-1')));
    expect(flat).toContain(formatFingerprint(cert.fingerprintSha256));
    expect(text).toContain('Digital signature');
    expect(text).toContain('Non-repudiation');
    expect(text).toContain('EU qualified certificate (eIDAS)');
    expect(text).toContain('qualified signature creation device');
    expect(text).toContain('For electronic signatures');
    expect(text).toContain('Issued to a natural person');
    const sha1 = openssl(['x509', '-inform', 'DER', '-noout', '-fingerprint', '-sha1'], cert.der).stdout.trim().split('=')[1]!;
    expect(flat).toContain(sha1);
  });

  it('PDF prints č, ć, đ as written, with the subset DejaVu Sans embedded', async () => {
    const name = 'Đorđe Čolić-Ćosić';
    const holder = await issue({ subject: personSubject.map((rdn) => ('CN' in rdn ? { CN: [name] } : rdn)), issuer: pki.issuing, qc: 'natural' });
    const file = await exportCertificate({ certificate: holder.certificate, chain: [], format: 'pdf', locale: 'sl' });
    const text = pdfText(file.bytes, 'sheet-sl.pdf');
    expect(text).toContain('Podatkovni list potrdila');
    expect(text).toContain(name);
    expect(text).toContain('Kvalificirano potrdilo EU (eIDAS)');
    const fonts = pdfFonts('sheet-sl.pdf');
    expect(fonts).toMatch(/[A-Z]{6}\+DejaVuSans\s+CID TrueType\s+Identity-H\s+yes yes yes/);
    expect(fonts).toMatch(/[A-Z]{6}\+DejaVuSans-Bold\s+CID TrueType\s+Identity-H\s+yes yes yes/);
    expect(fonts).not.toContain('Helvetica');
    console.log(`data sheet (sl, ${name}): ${file.bytes.length} bytes`);
    expect(file.bytes.length).toBeLessThan(100_000);
  });

  it('PDF in Serbian Cyrillic is printed in Cyrillic', async () => {
    const holder = await issue({ subject: personSubject.map((rdn) => ('CN' in rdn ? { CN: ['Ђорђе Чолић'] } : rdn)), issuer: pki.issuing, qc: 'natural' });
    const file = await exportCertificate({ certificate: holder.certificate, chain: [], format: 'pdf', locale: 'sr-Cyrl' });
    const text = pdfText(file.bytes, 'sheet-sr.pdf');
    expect(text).toContain('Лист са подацима сертификата');
    expect(text).toContain('Ђорђе Чолић');
    expect(text).not.toContain('List sa podacima');
    console.log(`data sheet (sr-Cyrl): ${file.bytes.length} bytes`);
    expect(file.bytes.length).toBeLessThan(100_000);
  });
});

function writePem(derPath: string): string {
  const pem = derPath.replace(/\.der$/, '.pem');
  const r = openssl(['x509', '-inform', 'DER', '-in', derPath, '-out', pem]);
  expect(r.status, r.stderr).toBe(0);
  return pem;
}
