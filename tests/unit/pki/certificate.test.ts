import { beforeAll, describe, expect, it } from 'vitest';
import 'reflect-metadata';
import { AsnConvert } from '@peculiar/asn1-schema';
import { QCStatement, QCStatements, id_pe_qcStatements } from '@peculiar/asn1-x509-qualified';
import * as x509 from '@peculiar/x509';
import { Certificate } from '../../../src-shared/pki/certificate.js';
import { ObnovaError } from '../../../src-shared/contract/errors.js';
import { createTestPki, generateKeys, type TestPki } from '../../helpers/pki/pki-factory.js';
import { openssl } from '../../helpers/pki/openssl.js';

let pki: TestPki;
beforeAll(async () => {
  pki = await createTestPki({ ocspUrl: 'http://127.0.0.1:9/ocsp', crlUrl: 'http://127.0.0.1:9/crl/test.crl' });
});

describe('Certificate model', () => {
  it('exposes the holder identity of a qualified natural person', () => {
    const c = pki.person.certificate;
    expect(c.holder).toEqual({
      commonName: 'Ana Novak',
      givenName: 'Ana',
      surname: 'Novak',
      serialNumber: 'PNOSI-1234567890123',
      organization: 'Obnova Test d.o.o.',
      organizationIdentifier: 'VATSI-12345678',
      country: 'SI',
      email: null,
    });
    expect(c.subjectCommonName).toBe('Ana Novak');
    expect(c.issuerCommonName).toBe('Obnova Test Qualified CA');
  });

  it('reads the EN 319 412-5 QcStatements as typed fields', () => {
    const qc = pki.person.certificate.qcStatements;
    expect(qc.compliance).toBe(true);
    expect(qc.sscd).toBe(true);
    expect(qc.types).toEqual(['esign']);
    expect(qc.pds).toEqual([{ url: 'https://ca.example.test/pds/en.pdf', language: 'en' }]);
    expect(qc.retentionPeriodYears).toBe(10);
    expect(qc.semanticsId).toBe('0.4.0.194121.1.1');
    expect(pki.person.certificate.isQualified).toBe(true);
    expect(pki.person.certificate.isLegalPerson).toBe(false);
  });

  it('recognises a legal person seal', () => {
    const c = pki.legal.certificate;
    expect(c.isLegalPerson).toBe(true);
    expect(c.qcStatements.types).toEqual(['eseal']);
    expect(c.holder.organizationIdentifier).toBe('VATSI-12345678');
  });

  it('reports a certificate without QcStatements as not qualified', () => {
    expect(pki.plain.certificate.isQualified).toBe(false);
    expect(pki.plain.certificate.qcStatements.ids).toEqual([]);
  });

  it('exposes key algorithm, usages, policies, identifiers and URLs', async () => {
    const c = pki.person.certificate;
    expect(c.keyAlgorithm).toEqual({ name: 'EC', size: 256, curve: 'P-256' });
    expect(c.keyUsages).toEqual(['digitalSignature', 'nonRepudiation']);
    expect(c.policyOids).toEqual(['0.4.0.194112.1.2']);
    expect(c.ocspUrls).toEqual(['http://127.0.0.1:9/ocsp']);
    expect(c.crlUrls).toEqual(['http://127.0.0.1:9/crl/test.crl']);
    expect(c.authorityKeyIdentifier).toBe(pki.issuing.certificate.subjectKeyIdentifier);
    expect(pki.issuing.certificate.basicConstraints).toEqual({ ca: true, pathLength: 0 });
    expect(pki.issuing.certificate.isCertificateAuthority).toBe(true);
    expect(pki.root.certificate.isSelfIssued).toBe(true);
    expect(await c.isSignedBy(pki.issuing.certificate)).toBe(true);
    expect(await c.isSignedBy(pki.root.certificate)).toBe(false);
    expect(pki.ocspResponder.certificate.extendedKeyUsages).toEqual(['1.3.6.1.5.5.7.3.9']);
  });

  it('agrees with openssl on serial and SHA-256 fingerprint', () => {
    const c = pki.person.certificate;
    const out = openssl(['x509', '-inform', 'DER', '-noout', '-serial', '-fingerprint', '-sha256'], c.der).stdout;
    expect(out).toContain(`serial=${c.serialNumber.toUpperCase()}`);
    expect(out.replace(/:/g, '').toLowerCase()).toContain(c.fingerprintSha256);
  });

  it('turns truncated DER and a wrong structure into CERT_PARSE_FAILED', async () => {
    for (const bad of [pki.person.der.subarray(0, 100), new Uint8Array([0x30, 0x03, 0x06, 0x01, 0x00]), new Uint8Array(0), new Uint8Array(70_000)]) {
      const error = await Certificate.fromDer(bad).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ObnovaError);
      expect((error as ObnovaError).code).toBe('CERT_PARSE_FAILED');
    }
  });

  it('reads RSA key sizes', async () => {
    const rsa = await createTestPki({ keyType: 'RSA' });
    expect(rsa.person.certificate.keyAlgorithm).toEqual({ name: 'RSA', size: 2048, curve: null });
    expect(await rsa.person.certificate.isSignedBy(rsa.issuing.certificate)).toBe(true);
  }, 30_000);

  it('keeps a malformed QcType listed but out of the typed fields', async () => {
    const compliance = new QCStatement();
    compliance.statementId = '0.4.0.1862.1.1';
    compliance.statementInfo = undefined as unknown as ArrayBuffer;
    const badType = new QCStatement();
    badType.statementId = '0.4.0.1862.1.6';
    badType.statementInfo = new Uint8Array([0x02, 0x01, 0x05]).buffer; // an INTEGER where a SEQUENCE OF OID belongs
    const ext = new x509.Extension(id_pe_qcStatements, false, AsnConvert.serialize(new QCStatements([compliance, badType])));
    const keys = await generateKeys('EC');
    const cert = await x509.X509CertificateGenerator.createSelfSigned({ name: 'CN=Odd QC', keys, signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' }, extensions: [ext] });
    const c = await Certificate.fromDer(new Uint8Array(cert.rawData));
    expect(c.qcStatements.ids).toEqual(['0.4.0.1862.1.1', '0.4.0.1862.1.6']);
    expect(c.qcStatements.types).toEqual([]);
    expect(c.isQualified).toBe(true);
  });

  it('treats an organizationIdentifier without a person name and without QcStatements as a legal person', async () => {
    const keys = await generateKeys('EC');
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      name: [{ CN: ['Firma d.o.o.'] }, { '2.5.4.97': ['VATSI-87654321'] }],
      keys,
      signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
    });
    const c = await Certificate.fromDer(new Uint8Array(cert.rawData));
    expect(c.isLegalPerson).toBe(true);
    expect(c.isQualified).toBe(false);
    expect(c.keyUsages).toBeNull();
  });

  it('returns the same immutable model for the same DER, unaffected by the caller reusing its buffer', async () => {
    const buffer = pki.person.der.slice();
    const a = await Certificate.fromDer(buffer);
    buffer.fill(0);
    const b = await Certificate.fromDer(pki.person.der);
    expect(b).toBe(a);
    expect(a.der).toEqual(pki.person.der);
    expect(() => (a.keyUsages as string[]).push('x')).toThrow();
  });
});
