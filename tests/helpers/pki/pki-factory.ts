/**
 * A test PKI built by code: root CA → issuing CA → end-entity certificates (qualified natural/legal person,
 * expired, not yet valid, from another CA, tampered) and an OCSP responder, with WebCrypto keys.
 */
import 'reflect-metadata';
import { randomBytes, webcrypto } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AsnConvert } from '@peculiar/asn1-schema';
import { QCStatement, QCStatements, SemanticsInformation, id_pe_qcStatements, id_qcs_pkixQCSyntax_v2 } from '@peculiar/asn1-x509-qualified';
import {
  PdsLocation,
  QcEuPDS,
  QcEuRetentionPeriod,
  QcType,
  id_etsi_qcs_qcCompliance,
  id_etsi_qcs_qcPDS,
  id_etsi_qcs_qcRetentionPeriod,
  id_etsi_qcs_qcSSCD,
  id_etsi_qcs_qcType,
  id_etsi_qct_eseal,
  id_etsi_qct_esign,
} from '@peculiar/asn1-x509-qualified-etsi';
import * as x509 from '@peculiar/x509';
import { Certificate } from '../../../src-shared/pki/certificate.js';
import { toPem } from '../../../src-shared/pki/pem.js';

export type KeyType = 'EC' | 'RSA';
type KeyPair = webcrypto.CryptoKeyPair;

export interface Issued {
  name: string;
  keys: KeyPair;
  x509: x509.X509Certificate;
  der: Uint8Array;
  certificate: Certificate;
}

const day = 86_400_000;

export function keyParams(type: KeyType): { gen: webcrypto.RsaHashedKeyGenParams | webcrypto.EcKeyGenParams; sign: webcrypto.Algorithm | webcrypto.EcdsaParams } {
  return type === 'EC'
    ? { gen: { name: 'ECDSA', namedCurve: 'P-256' }, sign: { name: 'ECDSA', hash: 'SHA-256' } as webcrypto.EcdsaParams }
    : {
        gen: { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
        sign: { name: 'RSASSA-PKCS1-v1_5' },
      };
}

export async function generateKeys(type: KeyType): Promise<KeyPair> {
  return (await webcrypto.subtle.generateKey(keyParams(type).gen, true, ['sign', 'verify'])) as KeyPair;
}

function serial(): string {
  const b = randomBytes(12);
  b[0] = (b[0]! & 0x7f) | 0x01;
  return b.toString('hex');
}

function statement(statementId: string, info?: ArrayBuffer): QCStatement {
  const s = new QCStatement();
  s.statementId = statementId;
  s.statementInfo = info as ArrayBuffer; // absent info must be omitted, not encoded empty
  return s;
}

/** EN 319 412-5 QcStatements for a natural (esign) or legal (eseal) person. */
export function qcStatementsExtension(kind: 'natural' | 'legal'): x509.Extension {
  const statements = new QCStatements([
    statement(id_qcs_pkixQCSyntax_v2, AsnConvert.serialize(new SemanticsInformation({ semanticsIdentifier: kind === 'natural' ? '0.4.0.194121.1.1' : '0.4.0.194121.1.2' }))),
    statement(id_etsi_qcs_qcCompliance),
    statement(id_etsi_qcs_qcSSCD),
    statement(id_etsi_qcs_qcType, AsnConvert.serialize(new QcType([kind === 'natural' ? id_etsi_qct_esign : id_etsi_qct_eseal]))),
    statement(id_etsi_qcs_qcPDS, AsnConvert.serialize(new QcEuPDS([new PdsLocation({ url: 'https://ca.example.test/pds/en.pdf', language: 'en' })]))),
    statement(id_etsi_qcs_qcRetentionPeriod, AsnConvert.serialize(new QcEuRetentionPeriod(10))),
  ]);
  return new x509.Extension(id_pe_qcStatements, false, AsnConvert.serialize(statements));
}

export interface IssueOptions {
  subject: string | x509.JsonName;
  issuer?: Issued;
  keyType?: KeyType;
  keys?: KeyPair;
  ca?: boolean;
  pathLength?: number;
  notBefore?: Date;
  notAfter?: Date;
  keyUsage?: x509.KeyUsageFlags;
  extendedKeyUsage?: string[];
  qc?: 'natural' | 'legal';
  policies?: string[];
  ocspUrl?: string;
  crlUrl?: string;
  serialNumber?: string;
}

/** Issues a certificate (self-signed when `issuer` is absent). */
export async function issue(o: IssueOptions): Promise<Issued> {
  const keyType = o.keyType ?? 'EC';
  const keys = o.keys ?? (await generateKeys(keyType));
  const now = Date.now();
  const extensions: x509.Extension[] = [await x509.SubjectKeyIdentifierExtension.create(keys.publicKey)];
  if (o.issuer) extensions.push(await x509.AuthorityKeyIdentifierExtension.create(o.issuer.keys.publicKey));
  if (o.ca) extensions.push(new x509.BasicConstraintsExtension(true, o.pathLength, true));
  extensions.push(
    new x509.KeyUsagesExtension(o.keyUsage ?? (o.ca ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign : x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation), true),
  );
  if (o.extendedKeyUsage) extensions.push(new x509.ExtendedKeyUsageExtension(o.extendedKeyUsage));
  if (o.qc) extensions.push(qcStatementsExtension(o.qc));
  if (o.policies) extensions.push(new x509.CertificatePolicyExtension(o.policies));
  if (o.ocspUrl) extensions.push(new x509.AuthorityInfoAccessExtension({ ocsp: o.ocspUrl }));
  if (o.crlUrl) extensions.push(new x509.CRLDistributionPointsExtension([o.crlUrl]));
  const signerKeys = o.issuer?.keys ?? keys;
  const signerType: KeyType = signerKeys.privateKey.algorithm.name === 'ECDSA' ? 'EC' : 'RSA';
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: o.serialNumber ?? serial(),
    subject: o.subject,
    issuer: o.issuer ? o.issuer.x509.subjectName : o.subject,
    notBefore: o.notBefore ?? new Date(now - day),
    notAfter: o.notAfter ?? new Date(now + 365 * day),
    publicKey: keys.publicKey,
    signingKey: signerKeys.privateKey,
    signingAlgorithm: keyParams(signerType).sign,
    extensions,
  });
  const der = new Uint8Array(cert.rawData);
  const name = typeof o.subject === 'string' ? o.subject : JSON.stringify(o.subject);
  return { name, keys, x509: cert, der, certificate: await Certificate.fromDer(der) };
}

export interface TestPki {
  root: Issued;
  issuing: Issued;
  ocspResponder: Issued;
  /** Qualified natural person, esign, PNOSI serialNumber. */
  person: Issued;
  /** Qualified legal person (seal), VATSI organizationIdentifier. */
  legal: Issued;
  /** Not qualified (no QcStatements). */
  plain: Issued;
  expired: Issued;
  notYetValid: Issued;
  /** Same subject style, issued by an unrelated CA that is not a trust anchor. */
  otherCa: Issued;
  fromOtherCa: Issued;
  /** `person` with one signature byte flipped. */
  tamperedDer: Uint8Array;
}

export const personSubject: x509.JsonName = [
  { C: ['SI'] },
  { O: ['Obnova Test d.o.o.'] },
  { '2.5.4.97': ['VATSI-12345678'] },
  { '2.5.4.42': ['Ana'] },
  { '2.5.4.4': ['Novak'] },
  { CN: ['Ana Novak'] },
  { '2.5.4.5': ['PNOSI-1234567890123'] },
];

/** Builds the whole test PKI; `keyType` applies to every key. `ocspUrl`/`crlUrl` go into end-entity certificates. */
export async function createTestPki(options: { keyType?: KeyType; ocspUrl?: string; crlUrl?: string } = {}): Promise<TestPki> {
  const keyType = options.keyType ?? 'EC';
  const now = Date.now();
  const urls = { ocspUrl: options.ocspUrl, crlUrl: options.crlUrl };
  const root = await issue({ subject: 'CN=Obnova Test Root CA,O=Obnova Test,C=SI', ca: true, keyType, notAfter: new Date(now + 3650 * day) });
  const issuing = await issue({ subject: 'CN=Obnova Test Qualified CA,O=Obnova Test,C=SI', ca: true, pathLength: 0, issuer: root, keyType, notAfter: new Date(now + 1825 * day) });
  const ocspResponder = await issue({
    subject: 'CN=Obnova Test OCSP Responder,O=Obnova Test,C=SI',
    issuer: issuing,
    keyType,
    keyUsage: x509.KeyUsageFlags.digitalSignature,
    extendedKeyUsage: [x509.ExtendedKeyUsage.ocspSigning],
  });
  const person = await issue({ subject: personSubject, issuer: issuing, keyType, qc: 'natural', policies: ['0.4.0.194112.1.2'], ...urls });
  const legal = await issue({
    subject: [{ C: ['SI'] }, { O: ['Obnova Test d.o.o.'] }, { '2.5.4.97': ['VATSI-12345678'] }, { CN: ['Obnova Test d.o.o. seal'] }],
    issuer: issuing,
    keyType,
    qc: 'legal',
    policies: ['0.4.0.194112.1.3'],
    ...urls,
  });
  const plain = await issue({ subject: 'CN=Plain Holder,C=SI', issuer: issuing, keyType, ...urls });
  const expired = await issue({ subject: 'CN=Expired Holder,C=SI', issuer: issuing, keyType, qc: 'natural', notBefore: new Date(now - 400 * day), notAfter: new Date(now - 10 * day), ...urls });
  const notYetValid = await issue({ subject: 'CN=Future Holder,C=SI', issuer: issuing, keyType, qc: 'natural', notBefore: new Date(now + 10 * day), notAfter: new Date(now + 400 * day), ...urls });
  const otherCa = await issue({ subject: 'CN=Some Other CA,O=Elsewhere,C=SI', ca: true, keyType });
  const fromOtherCa = await issue({ subject: 'CN=Ana Novak,C=SI', issuer: otherCa, keyType, qc: 'natural' });
  const tamperedDer = person.der.slice();
  tamperedDer[tamperedDer.length - 5]! ^= 0x01;
  return { root, issuing, ocspResponder, person, legal, plain, expired, notYetValid, otherCa, fromOtherCa, tamperedDer };
}

/** PKCS#8 PEM of a private key, for openssl. */
export async function privateKeyPem(key: webcrypto.CryptoKey): Promise<string> {
  return toPem(new Uint8Array(await webcrypto.subtle.exportKey('pkcs8', key)), 'PRIVATE KEY');
}

/** A fresh temporary directory for files openssl reads. */
export function tempDir(prefix = 'obnova-pki-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes `name`.pem (certificate) and, with `withKey`, `name`.key into dir; returns the certificate path. */
export async function writeIssued(dir: string, name: string, issued: Issued, withKey = false): Promise<string> {
  const path = join(dir, `${name}.pem`);
  writeFileSync(path, toPem(issued.der, 'CERTIFICATE'));
  if (withKey) writeFileSync(join(dir, `${name}.key`), await privateKeyPem(issued.keys.privateKey));
  return path;
}
