/**
 * Objects a real card holds, put on a SoftHSM token: a key pair generated ON the token by
 * `pkcs11-tool --keypairgen` (private key sensitive, never extractable), a certificate for it
 * issued by a software test CA, written by `pkcs11-tool --write-object`.
 */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AsnConvert } from '@peculiar/asn1-schema';
import { QCStatement, QCStatements, id_pe_qcStatements } from '@peculiar/asn1-x509-qualified';
import { id_etsi_qcs_qcCompliance } from '@peculiar/asn1-x509-qualified-etsi';
import {
  AuthorityKeyIdentifierExtension,
  BasicConstraintsExtension,
  Extension,
  KeyUsageFlags,
  KeyUsagesExtension,
  type X509Certificate,
  X509CertificateGenerator,
} from '@peculiar/x509';
import type { SoftHsm, SoftHsmToken } from './softhsm.js';
import { createTestCa, randomSerial, type TestCa } from './test-ca.js';

/** Subject attributes by name, written in the usual EU order (C, O, …, CN). */
export interface SubjectFields {
  commonName: string;
  givenName?: string;
  surname?: string;
  /** X.520 serialNumber, e.g. the ETSI EN 319 412-1 semantics identifier "PNOSI-1234567890123". */
  serialNumber?: string;
  country?: string;
  organization?: string;
  organizationalUnit?: string;
  /** ETSI EN 319 412-1 organizationIdentifier, e.g. "VATSI-12345678". */
  organizationIdentifier?: string;
  locality?: string;
  email?: string;
}

const subjectOids: Array<[keyof SubjectFields, string]> = [
  ['country', '2.5.4.6'],
  ['organization', '2.5.4.10'],
  ['organizationalUnit', '2.5.4.11'],
  ['organizationIdentifier', '2.5.4.97'],
  ['locality', '2.5.4.7'],
  ['surname', '2.5.4.4'],
  ['givenName', '2.5.4.42'],
  ['serialNumber', '2.5.4.5'],
  ['email', '1.2.840.113549.1.9.1'],
  ['commonName', '2.5.4.3'],
];

/** A subject as @peculiar/x509 takes it: a DN string as is, or fields as a JSON name (PrintableString where possible, else UTF8String). */
function subjectName(subject: string | SubjectFields): string | Array<Record<string, string[]>> {
  if (typeof subject === 'string') return subject;
  return subjectOids.flatMap(([field, oid]) => (subject[field] ? [{ [oid]: [subject[field]!] }] : []));
}

export interface KeyAndCertificateOptions {
  /** CKA_ID as hex, shared by the key pair and the certificate. */
  id: string;
  label: string;
  /** Subject DN string ("CN=Ana Novak, C=SI", in ASN.1 order) or fields. */
  subject: string | SubjectFields;
  /** Issuing CA; a fresh one per call when omitted. */
  ca?: TestCa;
  /** Adds QcStatements with QcCompliance (ETSI EN 319 412-5 §4.2.1). */
  qualified?: boolean;
  notBefore?: Date;
  notAfter?: Date;
  keyType?: 'rsa:2048' | 'EC:prime256v1';
  /** Certificate serial as hex; random when omitted. */
  serialNumber?: string;
  /** Make the private key object visible without login (CKA_PRIVATE false; EC P-256 only, made by pkcs11js). */
  visiblePrivateKey?: boolean;
}

export interface WrittenCertificate {
  id: string;
  label: string;
  der: Uint8Array;
  /** Lowercase hex SHA-256 of the DER. */
  fingerprintSha256: string;
  /** Lowercase hex, as the Certificate model reports it. */
  serialNumber: string;
  subject: string;
  issuer: string;
  ca: TestCa;
  /** The public key read back from the token (DER SubjectPublicKeyInfo). */
  publicKeySpki: Uint8Array;
}

function withTempDir<T>(use: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'obnova-objects-'));
  try {
    return use(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

const loginArgs = (token: SoftHsmToken): string[] => ['--token-label', token.label, '--login', '--pin', token.pin];

/** Generates a key pair on the token, issues a certificate for it and writes it with the same CKA_ID. */
export async function addKeyAndCertificate(hsm: SoftHsm, token: SoftHsmToken, options: KeyAndCertificateOptions): Promise<WrittenCertificate> {
  if (options.visiblePrivateKey) {
    if (options.keyType && options.keyType !== 'EC:prime256v1') throw new Error('visiblePrivateKey makes EC P-256 keys only');
    addVisiblePrivateKeyPair(hsm, token, { id: options.id, label: options.label });
  } else {
    const keyType = options.keyType ?? 'rsa:2048';
    hsm.pkcs11Tool([...loginArgs(token), '--keypairgen', '--key-type', keyType, '--id', options.id, '--label', options.label, '--usage-sign']);
  }
  const publicKeySpki = withTempDir((dir) => {
    const file = join(dir, 'pub.der');
    hsm.pkcs11Tool(['--token-label', token.label, '--read-object', '--type', 'pubkey', '--id', options.id, '--output-file', file]);
    return new Uint8Array(readFileSync(file));
  });
  const { certificate, ca } = await issueCertificate({ ...options, publicKeySpki });
  const der = new Uint8Array(certificate.rawData);
  writeCertificate(hsm, token, der, options.id, options.label);
  return {
    id: options.id,
    label: options.label,
    der,
    fingerprintSha256: sha256(der),
    serialNumber: certificate.serialNumber.toLowerCase(),
    subject: certificate.subject,
    issuer: certificate.issuer,
    ca,
    publicKeySpki,
  };
}

/** What issueCertificate() needs: the holder's public key and subject; the rest as addKeyAndCertificate takes it. */
export interface IssueOptions {
  publicKeySpki: Uint8Array;
  subject: string | SubjectFields;
  ca?: TestCa;
  qualified?: boolean;
  notBefore?: Date;
  notAfter?: Date;
  serialNumber?: string;
}

/** Issues an end-entity certificate (digitalSignature + nonRepudiation, optionally QcCompliance) for a public key. */
export async function issueCertificate(options: IssueOptions): Promise<{ certificate: X509Certificate; der: Uint8Array; ca: TestCa }> {
  const publicKeySpki = options.publicKeySpki;
  const ca = options.ca ?? (await createTestCa());
  const now = Date.now();
  const extensions: Extension[] = [
    new BasicConstraintsExtension(false, undefined, true),
    new KeyUsagesExtension(KeyUsageFlags.digitalSignature | KeyUsageFlags.nonRepudiation, true),
    await AuthorityKeyIdentifierExtension.create(ca.keys.publicKey),
  ];
  if (options.qualified) {
    const compliance = new QCStatement();
    compliance.statementId = id_etsi_qcs_qcCompliance;
    // QcCompliance has no statementInfo (EN 319 412-5 §4.2.1); an empty buffer would serialize as a broken ANY.
    compliance.statementInfo = undefined as unknown as ArrayBuffer;
    extensions.push(new Extension(id_pe_qcStatements, false, AsnConvert.serialize(new QCStatements([compliance]))));
  }
  const certificate = await X509CertificateGenerator.create({
    serialNumber: options.serialNumber ?? randomSerial(),
    subject: subjectName(options.subject),
    issuer: ca.certificate.subject,
    notBefore: options.notBefore ?? new Date(now - 86_400_000),
    notAfter: options.notAfter ?? new Date(now + 2 * 365 * 86_400_000),
    publicKey: publicKeySpki,
    signingKey: ca.keys.privateKey,
    signingAlgorithm: ca.signingAlgorithm,
    extensions,
  });
  return { certificate, der: new Uint8Array(certificate.rawData), ca };
}

/** Writes a DER certificate with `pkcs11-tool --write-object --type cert` (which insists on valid DER). */
export function writeCertificate(hsm: SoftHsm, token: SoftHsmToken, der: Uint8Array, id: string, label: string): void {
  withTempDir((dir) => {
    const file = join(dir, 'cert.der');
    writeFileSync(file, der);
    hsm.pkcs11Tool([...loginArgs(token), '--write-object', file, '--type', 'cert', '--id', id, '--label', label]);
  });
}

function runChild(hsm: SoftHsm, token: SoftHsmToken, args: Record<string, string>): void {
  const script = join(import.meta.dirname, 'pkcs11-child.mjs');
  const payload = JSON.stringify({ module: hsm.modulePath, tokenLabel: token.label, pin: token.pin, ...args });
  execFileSync(process.execPath, [script, payload], { env: hsm.env, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A certificate object whose CKA_VALUE is `bytes` as given (corrupt DER tests); pkcs11-tool refuses these. */
export function writeRawCertificateObject(
  hsm: SoftHsm,
  token: SoftHsmToken,
  bytes: Uint8Array,
  options: { id?: string; label?: string } = {},
): { id: string; label: string; der: Uint8Array; fingerprintSha256: string } {
  const id = options.id ?? 'ee01';
  const label = options.label ?? 'corrupt certificate';
  runChild(hsm, token, { op: 'raw-cert', id, label, value: Buffer.from(bytes).toString('hex') });
  return { id, label, der: bytes, fingerprintSha256: sha256(bytes) };
}

/** An EC P-256 key pair whose private key object is visible without login (CKA_PRIVATE false). */
export function addVisiblePrivateKeyPair(hsm: SoftHsm, token: SoftHsmToken, options: { id: string; label: string }): void {
  runChild(hsm, token, { op: 'public-private-key', ...options });
}

/** An EC P-256 key pair whose private key has CKA_ALWAYS_AUTHENTICATE (a PIN before every signature). */
export function addAlwaysAuthenticateKeyPair(hsm: SoftHsm, token: SoftHsmToken, options: { id: string; label: string }): void {
  runChild(hsm, token, { op: 'always-authenticate-key', ...options });
}
