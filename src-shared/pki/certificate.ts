/**
 * The one certificate model: parsed once from DER, facts exposed as typed fields.
 * Built on @peculiar/x509 and @peculiar/asn1-*; no hand-written ASN.1.
 */
import 'reflect-metadata';
import { AsnConvert } from '@peculiar/asn1-schema';
import { ECParameters } from '@peculiar/asn1-ecc';
import { RSAPublicKey } from '@peculiar/asn1-rsa';
import { BasicConstraints, SubjectPublicKeyInfo, id_ce_basicConstraints } from '@peculiar/asn1-x509';
import { QCStatements, id_pe_qcStatements } from '@peculiar/asn1-x509-qualified';
import { id_etsi_qcs_qcCompliance } from '@peculiar/asn1-x509-qualified-etsi';
import { X509Certificate } from '@peculiar/x509';
import { ObnovaError } from '../contract/errors.js';
import { toHex } from './encoding.js';

export interface KeyAlgorithm {
  name: 'RSA' | 'EC' | 'Ed25519' | 'Ed448' | 'unknown';
  size: number | null;
  curve: string | null;
}

const namedCurves: Record<string, { name: string; size: number }> = {
  '1.2.840.10045.3.1.7': { name: 'P-256', size: 256 },
  '1.3.132.0.34': { name: 'P-384', size: 384 },
  '1.3.132.0.35': { name: 'P-521', size: 521 },
};

const oidRsaEncryption = '1.2.840.113549.1.1.1';
const oidEcPublicKey = '1.2.840.10045.2.1';
const oidEd25519 = '1.3.101.112';
const oidEd448 = '1.3.101.113';
const oidCommonName = '2.5.4.3';

/** Largest certificate accepted from a token or a peer; real ones are a few KB. */
export const maxCertificateBytes = 64 * 1024;

export class Certificate {
  readonly der: Uint8Array;
  readonly x509: X509Certificate;
  readonly fingerprintSha256: string;

  private constructor(der: Uint8Array, x509: X509Certificate, fingerprintSha256: string) {
    this.der = der;
    this.x509 = x509;
    this.fingerprintSha256 = fingerprintSha256;
  }

  /** Parses DER; any malformed input becomes CERT_PARSE_FAILED, never a crash. */
  static async fromDer(der: Uint8Array): Promise<Certificate> {
    if (der.byteLength === 0 || der.byteLength > maxCertificateBytes) {
      throw new ObnovaError('CERT_PARSE_FAILED', `certificate size ${der.byteLength} bytes is outside 1..${maxCertificateBytes}`);
    }
    let x509: X509Certificate;
    try {
      x509 = new X509Certificate(der);
    } catch (cause) {
      throw new ObnovaError('CERT_PARSE_FAILED', 'value is not a DER X.509 certificate', undefined, { cause });
    }
    const digest = await globalThis.crypto.subtle.digest('SHA-256', der);
    return new Certificate(der, x509, toHex(new Uint8Array(digest)));
  }

  get subject(): string {
    return this.x509.subject;
  }

  get issuer(): string {
    return this.x509.issuer;
  }

  get subjectCommonName(): string | null {
    return this.x509.subjectName.getField(oidCommonName)[0] ?? null;
  }

  get issuerCommonName(): string | null {
    return this.x509.issuerName.getField(oidCommonName)[0] ?? null;
  }

  /** Serial number as lowercase hex, as `openssl x509 -serial` prints it (case aside). */
  get serialNumber(): string {
    return this.x509.serialNumber.toLowerCase();
  }

  get notBefore(): Date {
    return this.x509.notBefore;
  }

  get notAfter(): Date {
    return this.x509.notAfter;
  }

  /** DER SubjectPublicKeyInfo, for comparing with a key on the card. */
  get subjectPublicKeyInfo(): Uint8Array {
    return new Uint8Array(this.x509.publicKey.rawData);
  }

  get keyAlgorithm(): KeyAlgorithm {
    return describePublicKey(this.subjectPublicKeyInfo);
  }

  get isCertificateAuthority(): boolean {
    const ext = this.x509.getExtension(id_ce_basicConstraints);
    if (!ext) return false;
    return AsnConvert.parse(ext.value, BasicConstraints).cA;
  }

  /** QcCompliance statement present (ETSI EN 319 412-5 §4.2.1). */
  get isQualified(): boolean {
    return this.qcStatementIds.includes(id_etsi_qcs_qcCompliance);
  }

  get qcStatementIds(): string[] {
    const ext = this.x509.getExtension(id_pe_qcStatements);
    if (!ext) return [];
    try {
      return AsnConvert.parse(ext.value, QCStatements).map((s) => s.statementId);
    } catch {
      return [];
    }
  }

  isValidAt(when: Date): boolean {
    return when >= this.notBefore && when <= this.notAfter;
  }
}

/** Algorithm, size and curve of a DER SubjectPublicKeyInfo. */
export function describePublicKey(spkiDer: Uint8Array): KeyAlgorithm {
  const spki = AsnConvert.parse(spkiDer, SubjectPublicKeyInfo);
  const oid = spki.algorithm.algorithm;
  if (oid === oidRsaEncryption) {
    const rsa = AsnConvert.parse(spki.subjectPublicKey, RSAPublicKey);
    const modulus = new Uint8Array(rsa.modulus);
    const leadingZeros = modulus[0] === 0 ? 1 : 0;
    const bytes = modulus.subarray(leadingZeros);
    const bits = bytes.length === 0 ? 0 : (bytes.length - 1) * 8 + Math.floor(Math.log2(bytes[0] ?? 1)) + 1;
    return { name: 'RSA', size: bits, curve: null };
  }
  if (oid === oidEcPublicKey && spki.algorithm.parameters) {
    const params = AsnConvert.parse(spki.algorithm.parameters, ECParameters);
    const curve = params.namedCurve ? namedCurves[params.namedCurve] : undefined;
    return { name: 'EC', size: curve?.size ?? null, curve: curve?.name ?? params.namedCurve ?? null };
  }
  if (oid === oidEd25519) return { name: 'Ed25519', size: 256, curve: null };
  if (oid === oidEd448) return { name: 'Ed448', size: 456, curve: null };
  return { name: 'unknown', size: null, curve: null };
}
