/** The direct TBS writer must produce exactly what an ASN.1 schema parser reads back. */
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { TBSCertificate } from '@peculiar/asn1-x509';
import * as x509 from '@peculiar/x509';
import { describe, expect, it } from 'vitest';
import type { CaMember } from '../../../src-service/ca/authority.js';
import { EndEntityTemplate } from '../../../src-service/ca/end-entity-template.js';
import { loadProfiles } from '../../../src-service/ca/profiles/load-profiles.js';
import { randomSerial } from '../../../src-service/ca/serial.js';
import { subjectAttributes } from '../../../src-service/ca/subject.js';

async function softwareIssuer(): Promise<CaMember> {
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = (await webcrypto.subtle.generateKey(alg, false, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({ serialNumber: '01', name: 'CN=Issuer, C=SI', keys, signingAlgorithm: alg });
  const signer = {
    algorithm: { name: 'ECDSA', hash: 'SHA-256' },
    privateKey: keys.privateKey,
    sign: (data: Uint8Array) => webcrypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, keys.privateKey, data),
  };
  return { role: 'issuing', cert, der: new Uint8Array(cert.rawData), keyId: 'a1b2c3', signer } as unknown as CaMember;
}

describe('EndEntityTemplate', () => {
  it('writes a TBSCertificate that parses back field for field, with GeneralizedTime from 2050', async () => {
    const issuer = await softwareIssuer();
    const profile = loadProfiles().get('qualified-natural-person')!;
    const template = new EndEntityTemplate(profile, 'http://ca.example', issuer);
    const spkiKeys = (await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
    const spki = new Uint8Array(await webcrypto.subtle.exportKey('spki', spkiKeys.publicKey));
    const serial = randomSerial();
    const holder = { id: 'H', kind: 'natural', country: 'SI', givenName: 'Žiga', surname: 'Čeh', personalNumber: '0101990500123', email: 'ziga@example.si' } as never;
    const notBefore = new Date('2049-12-31T23:59:59Z');
    const notAfter = new Date('2054-12-31T23:59:58Z');
    const fields = { serial, subject: subjectAttributes(holder), spki, subjectKeyId: 'abcdef', email: 'ziga@example.si', notBefore, notAfter };
    const tbsDer = template.tbs(fields);
    const tbs = AsnConvert.parse(tbsDer, TBSCertificate);
    expect(Buffer.from(AsnConvert.serialize(tbs)).equals(Buffer.from(tbsDer))).toBe(true);
    expect(Buffer.from(tbs.serialNumber).toString('hex')).toBe(serial);
    expect(tbs.validity.notBefore.utcTime?.toISOString()).toBe(notBefore.toISOString());
    expect(tbs.validity.notAfter.generalTime?.toISOString()).toBe(notAfter.toISOString());
    expect(tbs.extensions?.map((e) => e.extnID)).toEqual([
      '2.5.29.19', '2.5.29.15', '2.5.29.37', '2.5.29.32', '2.5.29.14', '2.5.29.35', '1.3.6.1.5.5.7.1.1', '2.5.29.31', '1.3.6.1.5.5.7.1.3', '2.5.29.17',
    ]);
    const cert = new x509.X509Certificate(await template.sign(fields));
    expect(cert.subject).toContain('CN=Žiga Čeh');
    expect(await cert.verify({ publicKey: issuer.cert.publicKey, signatureOnly: true })).toBe(true);
  });
});
