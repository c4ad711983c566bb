/**
 * The one certificate model: parsed once from DER, facts exposed as typed fields.
 * Built on @peculiar/x509 and @peculiar/asn1-*; no hand-written ASN.1.
 */
import 'reflect-metadata';
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  AuthorityKeyIdentifier,
  BasicConstraints,
  type Certificate as AsnCertificate,
  KeyUsage,
  SubjectKeyIdentifier,
  id_ce_authorityKeyIdentifier,
  id_ce_basicConstraints,
  id_ce_keyUsage,
  id_ce_subjectKeyIdentifier,
} from '@peculiar/asn1-x509';
import { id_pe_qcStatements } from '@peculiar/asn1-x509-qualified';
import { id_etsi_qct_eseal } from '@peculiar/asn1-x509-qualified-etsi';
import {
  AuthorityInfoAccessExtension,
  CertificatePolicyExtension,
  CRLDistributionPointsExtension,
  ExtendedKeyUsageExtension,
  type KeyUsageFlags,
  X509Certificate,
} from '@peculiar/x509';
import { ObnovaError } from '../contract/errors.js';
import { type SignedParts, signedParts } from './der-parts.js';
import { toArrayBuffer, toHex } from './encoding.js';
import { type HolderIdentity, holderIdentity } from './holder-identity.js';
import { type KeyUsageName, keyUsageNames } from './key-usage.js';
import { noQcStatements, parseQcStatements, type QcStatementsInfo, semanticsIds } from './qc-statements.js';
import { verifySignature } from './signature.js';

import { describePublicKey, type KeyAlgorithm } from './public-key.js';

export type { HolderIdentity } from './holder-identity.js';
export { describePublicKey, type KeyAlgorithm } from './public-key.js';
export type { KeyUsageName } from './key-usage.js';

const oidCommonName = '2.5.4.3';

/** Largest certificate accepted from a token or a peer; real ones are a few KB. */
export const maxCertificateBytes = 64 * 1024;

// Parsed certificates keyed by their DER (as a binary string: a synchronous lookup, where hashing would be an
// asynchronous WebCrypto round trip). A Certificate is immutable, so the CA certificates that arrive with
// every CMS and the one on the card are parsed once, not on every request.
const parsedCache = new Map<string, Certificate>();
const parsedCacheLimit = 256;

export class Certificate {
  readonly der: Uint8Array;
  readonly x509: X509Certificate;
  readonly fingerprintSha256: string;
  #qc: QcStatementsInfo | undefined;
  #parts: SignedParts | null | undefined;
  readonly #memo = new Map<string, unknown>();

  private constructor(der: Uint8Array, x509: X509Certificate, fingerprintSha256: string) {
    this.der = der;
    this.x509 = x509;
    this.fingerprintSha256 = fingerprintSha256;
  }

  /** Parses DER; any malformed input becomes CERT_PARSE_FAILED, never a crash. */
  static async fromDer(input: Uint8Array): Promise<Certificate> {
    if (input.byteLength === 0 || input.byteLength > maxCertificateBytes) {
      throw new ObnovaError('CERT_PARSE_FAILED', `certificate size ${input.byteLength} bytes is outside 1..${maxCertificateBytes}`);
    }
    const key = binaryString(input);
    const cached = parsedCache.get(key);
    if (cached) return cached;
    const der = input.slice(); // the caller may reuse its buffer; ours must not change
    const fingerprint = toHex(new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', der)));
    let certificate: Certificate;
    try {
      certificate = new Certificate(der, new X509Certificate(der), fingerprint);
      // Decode now what chain building and signing use, so a malformed certificate fails here, not in a getter
      // later. The other extensions are decoded on first use, and a failure there is CERT_PARSE_FAILED too.
      const c = certificate;
      void [c.x509.serialNumber, c.x509.notBefore, c.x509.notAfter, c.subjectPublicKeyInfo, c.basicConstraints, c.keyUsages];
      void [c.subjectKeyIdentifier, c.authorityKeyIdentifier, c.signedParts];
    } catch (cause) {
      throw new ObnovaError('CERT_PARSE_FAILED', 'value is not a DER X.509 certificate', undefined, { cause });
    }
    if (parsedCache.size >= parsedCacheLimit) parsedCache.delete(parsedCache.keys().next().value as string);
    parsedCache.set(key, certificate);
    return certificate;
  }

  /** Forgets every parsed certificate (benchmarks of cold parsing; memory hygiene in long runs). */
  static clearParsedCache(): void {
    parsedCache.clear();
  }

  /** Computes a derived value once; chain building asks for names and key identifiers many times. */
  #once<T>(key: string, compute: () => T): T {
    if (!this.#memo.has(key)) {
      try {
        this.#memo.set(key, compute());
      } catch (cause) {
        if (cause instanceof ObnovaError) throw cause;
        throw new ObnovaError('CERT_PARSE_FAILED', `certificate field ${key} does not decode`, undefined, { cause });
      }
    }
    return this.#memo.get(key) as T;
  }

  /** The asn1-x509 structure @peculiar/x509 already decoded (a public property its typings mark protected). */
  get #asn(): AsnCertificate {
    return (this.x509 as unknown as { asn: AsnCertificate }).asn;
  }

  /** extnValue of the extension `oid`, straight from the decoded structure (no typed-extension objects). */
  #extension(oid: string): ArrayBuffer | null {
    const ext = this.#asn.tbsCertificate.extensions?.find((e) => e.extnID === oid);
    return ext ? ext.extnValue.buffer : null;
  }

  get subject(): string {
    return this.#once('subject', () => this.x509.subject);
  }

  get issuer(): string {
    return this.#once('issuer', () => this.x509.issuer);
  }

  get subjectCommonName(): string | null {
    return this.x509.subjectName.getField(oidCommonName)[0] ?? null;
  }

  get issuerCommonName(): string | null {
    return this.x509.issuerName.getField(oidCommonName)[0] ?? null;
  }

  /** Who the certificate is for: CN, given name, surname, EN 319 412-1 serialNumber, organisation and organizationIdentifier. */
  get holder(): HolderIdentity {
    return this.#once('holder', () => Object.freeze(holderIdentity(this.x509.subjectName)));
  }

  /** DER of the subject Name, hex; names are compared by these bytes when building chains. */
  get subjectNameHex(): string {
    return this.#once('subjectName', () => toHex(new Uint8Array(this.x509.subjectName.toArrayBuffer())));
  }

  get issuerNameHex(): string {
    return this.#once('issuerName', () => toHex(new Uint8Array(this.x509.issuerName.toArrayBuffer())));
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
    return this.#once('spki', () => new Uint8Array(AsnConvert.serialize(this.#asn.tbsCertificate.subjectPublicKeyInfo))).slice();
  }

  get keyAlgorithm(): KeyAlgorithm {
    return this.#once('keyAlgorithm', () => Object.freeze(describePublicKey(this.subjectPublicKeyInfo)));
  }

  get isCertificateAuthority(): boolean {
    return this.basicConstraints.ca;
  }

  /** basicConstraints (RFC 5280 §4.2.1.9); absent means not a CA. */
  get basicConstraints(): { ca: boolean; pathLength: number | null } {
    return this.#once('basicConstraints', () => this.#basicConstraints());
  }

  #basicConstraints(): { ca: boolean; pathLength: number | null } {
    const value = this.#extension(id_ce_basicConstraints);
    if (!value) return { ca: false, pathLength: null };
    const bc = AsnConvert.parse(value, BasicConstraints);
    return { ca: bc.cA, pathLength: bc.pathLenConstraint ?? null };
  }

  /** keyUsage bits by name (RFC 5280 §4.2.1.3); null when the extension is absent (any usage). */
  get keyUsages(): KeyUsageName[] | null {
    return this.#once('keyUsages', () => {
      const value = this.#extension(id_ce_keyUsage);
      return value ? (Object.freeze(keyUsageNames(AsnConvert.parse(value, KeyUsage).toNumber() as KeyUsageFlags)) as KeyUsageName[]) : null;
    });
  }

  /** extKeyUsage purpose OIDs; empty when absent. */
  get extendedKeyUsages(): string[] {
    return this.#once('eku', () => {
      const ext = this.x509.getExtension(ExtendedKeyUsageExtension);
      return Object.freeze(ext ? ext.usages.map(String) : []) as string[];
    });
  }

  /** certificatePolicies OIDs, e.g. 0.4.0.194112.1.2 (QCP-n-qscd). */
  get policyOids(): string[] {
    return this.#once('policies', () => Object.freeze([...(this.x509.getExtension(CertificatePolicyExtension)?.policies ?? [])]) as string[]);
  }

  /** QcStatements of EN 319 412-5 as typed fields; all empty when the extension is absent or malformed. */
  get qcStatements(): QcStatementsInfo {
    if (!this.#qc) {
      try {
        const value = this.#extension(id_pe_qcStatements);
        this.#qc = value ? parseQcStatements(value) : noQcStatements();
      } catch {
        this.#qc = noQcStatements();
      }
    }
    return this.#qc;
  }

  /** QcCompliance statement present (ETSI EN 319 412-5 §4.2.1). */
  get isQualified(): boolean {
    return this.qcStatements.compliance;
  }

  get qcStatementIds(): string[] {
    return this.qcStatements.ids;
  }

  /** Issued to a legal person: EN 319 412-1 legal semantics, a QcType of eseal, or an organizationIdentifier without a natural person's name. */
  get isLegalPerson(): boolean {
    const qc = this.qcStatements;
    if (qc.semanticsId === semanticsIds.legal || qc.types.includes('eseal') || qc.types.includes(id_etsi_qct_eseal)) return true;
    if (qc.semanticsId === semanticsIds.natural) return false;
    const h = this.holder;
    return h.organizationIdentifier !== null && h.givenName === null && h.surname === null;
  }

  /** subjectKeyIdentifier as lowercase hex, or null. */
  get subjectKeyIdentifier(): string | null {
    return this.#once('ski', () => {
      const value = this.#extension(id_ce_subjectKeyIdentifier);
      return value ? toHex(new Uint8Array(AsnConvert.parse(value, SubjectKeyIdentifier).buffer)) : null;
    });
  }

  /** authorityKeyIdentifier keyIdentifier as lowercase hex, or null. */
  get authorityKeyIdentifier(): string | null {
    return this.#once('aki', () => {
      const value = this.#extension(id_ce_authorityKeyIdentifier);
      const keyId = value ? AsnConvert.parse(value, AuthorityKeyIdentifier).keyIdentifier : undefined;
      return keyId ? toHex(new Uint8Array(keyId.buffer)) : null;
    });
  }

  /** OCSP responder URLs from authorityInfoAccess (RFC 5280 §4.2.2.1). */
  get ocspUrls(): string[] {
    return this.#once('ocsp', () => uriValues(this.x509.getExtension(AuthorityInfoAccessExtension)?.ocsp ?? []));
  }

  /** caIssuers URLs from authorityInfoAccess. */
  get caIssuerUrls(): string[] {
    return this.#once('caIssuers', () => uriValues(this.x509.getExtension(AuthorityInfoAccessExtension)?.caIssuers ?? []));
  }

  /** Full-name URIs of the cRLDistributionPoints (RFC 5280 §4.2.1.13). */
  get crlUrls(): string[] {
    return this.#once('crl', () => {
      const ext = this.x509.getExtension(CRLDistributionPointsExtension);
      const urls: string[] = [];
      for (const dp of ext?.distributionPoints ?? []) {
        for (const name of dp.distributionPoint?.fullName ?? []) if (name.uniformResourceIdentifier) urls.push(name.uniformResourceIdentifier);
      }
      return Object.freeze(urls) as string[];
    });
  }

  /** Subject and issuer names are the same (a root or a self-issued key rollover certificate). */
  get isSelfIssued(): boolean {
    return this.subjectNameHex === this.issuerNameHex;
  }

  /** TBS bytes as received, the signature algorithm and the signature value. */
  get signedParts(): SignedParts {
    if (this.#parts === undefined) {
      // asn1-x509 keeps the TBS bytes as received (tbsCertificateRaw); fall back to splitting the DER ourselves.
      const asn = this.#asn as AsnCertificate & { tbsCertificateRaw?: ArrayBuffer | Uint8Array };
      this.#parts = asn.tbsCertificateRaw
        ? { tbs: new Uint8Array(toArrayBuffer(new Uint8Array(asn.tbsCertificateRaw as ArrayBuffer))), algorithm: asn.signatureAlgorithm, signature: new Uint8Array(asn.signatureValue) }
        : signedParts(this.der);
    }
    if (!this.#parts) throw new ObnovaError('CERT_PARSE_FAILED', 'certificate is not SEQUENCE { tbs, algorithm, signature }');
    return this.#parts;
  }

  /** True when `issuer`'s key made this certificate's signature. */
  async isSignedBy(issuer: Certificate): Promise<boolean> {
    // Both certificates are immutable, so the answer for a given issuer never changes.
    return this.#once(`signedBy:${issuer.fingerprintSha256}`, () => {
      const parts = this.signedParts;
      return verifySignature({ spki: issuer.subjectPublicKeyInfo, algorithm: parts.algorithm, data: parts.tbs, signature: parts.signature });
    });
  }

  isValidAt(when: Date): boolean {
    return when >= this.notBefore && when <= this.notAfter;
  }
}

function binaryString(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 0x2000) out += String.fromCharCode(...bytes.subarray(i, i + 0x2000));
  return out;
}

function uriValues(names: { type: string; value: string }[]): string[] {
  return names.filter((n) => n.type === 'url').map((n) => n.value);
}
