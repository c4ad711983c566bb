import { beforeAll, describe, expect, it } from 'vitest';
import type { CertificateSource } from '../../../src-main/export/certificate-source.js';
import { createExportHandler } from '../../../src-main/export/export-handler.js';
import { pickCertificate } from '../../../src-main/cli/commands/export.js';
import { decodePkcs7Chain } from '../../../src-shared/pki/pkcs7-chain.js';
import { createTestPki, type TestPki } from '../../helpers/pki/pki-factory.js';

let pki: TestPki;
// Card layout as issuance leaves it: holder certificate under its key's CKA_ID, the issuing CA under another.
let source: CertificateSource;

beforeAll(async () => {
  pki = await createTestPki();
  source = {
    certificateValues: async (slotId) =>
      slotId === '7'
        ? [
            { objectId: '01', der: pki.person.der },
            { objectId: 'ca01', der: pki.issuing.der },
            { objectId: '02', der: new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]) },
          ]
        : [],
  };
});

describe('export.certificate handler', () => {
  it('p7b chain comes from the card (issuing CA) and the trust anchors (root)', async () => {
    const handler = createExportHandler({ source, trustAnchors: async () => [pki.root.certificate], systemLocale: () => 'sl' });
    const file = await handler({ slotId: '7', objectId: '01', format: 'p7b' });
    expect(file.certificates).toBe(3);
    const certs = await decodePkcs7Chain(new Uint8Array(Buffer.from(file.base64, 'base64')));
    expect(certs.map((c) => c.subjectCommonName)).toEqual(['Ana Novak', 'Obnova Test Qualified CA', 'Obnova Test Root CA']);
  });

  it('picks by fingerprint, skips unreadable objects, and reports a missing ID as TOKEN_OBJECT_NOT_FOUND', async () => {
    const handler = createExportHandler({ source, trustAnchors: async () => [], systemLocale: () => 'en' });
    const der = await handler({ slotId: '7', objectId: '01', fingerprintSha256: pki.person.certificate.fingerprintSha256, format: 'der' });
    expect(Buffer.from(der.base64, 'base64')).toEqual(Buffer.from(pki.person.der));
    await expect(handler({ slotId: '7', objectId: '02', format: 'der' })).rejects.toMatchObject({ code: 'TOKEN_OBJECT_NOT_FOUND' });
    await expect(handler({ slotId: '7', objectId: '01', fingerprintSha256: 'a'.repeat(64), format: 'der' })).rejects.toMatchObject({ code: 'TOKEN_OBJECT_NOT_FOUND' });
  });
});

describe('obnova export: which certificate', () => {
  const base = { slotId: '1', tokenLabel: 'A', tokenSerial: 's', objectLabel: 'x', readable: true as const, subject: 'CN=A', subjectCommonName: 'A', issuer: 'CN=CA', issuerCommonName: 'CA', serialNumber: '01', notBefore: new Date().toISOString(), notAfter: new Date().toISOString(), fingerprintSha256: 'a'.repeat(64), keyAlgorithm: { name: 'EC' as const, size: 256, curve: 'P-256' }, hasPrivateKey: true, privateKeyEvidence: 'public-key-object' as const, qualified: true };
  it('preselects the only holder certificate, ignoring CA certificates; asks for --id when there are several', () => {
    const one = { certificates: [{ ...base, objectId: '01', isCertificateAuthority: false }, { ...base, objectId: 'ca', isCertificateAuthority: true }], notices: [] };
    expect(pickCertificate(one, undefined)).toMatchObject({ objectId: '01' });
    const two = { certificates: [...one.certificates, { ...base, objectId: '02', isCertificateAuthority: false }], notices: [] };
    expect(pickCertificate(two, undefined)).toMatch(/several certificates match/);
    expect(pickCertificate(two, '02')).toMatchObject({ objectId: '02' });
    expect(pickCertificate(two, '03')).toBe('no certificate with --id 03');
  });
});
