/**
 * The issuance hot path: a profile's constant extensions, the issuer name and the signature
 * algorithm are encoded once; per certificate only serial, validity, subject, key and SKI/SAN
 * are encoded, the TBSCertificate is signed in the HSM and the final DER is concatenated.
 * Writing these few TLVs directly (the structure is RFC 5280 §4.1's, the constant parts come
 * from @peculiar/x509) is ~10× cheaper than a schema serialisation, which matters because this
 * runs on the main thread while the HSM signs the previous certificate.
 */
import 'reflect-metadata';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Extension } from '@peculiar/asn1-x509';
import * as asn1js from 'asn1js';
import * as x509 from '@peculiar/x509';
import type { CaMember } from './authority.js';
import { endEntityExtensions } from './extensions.js';
import type { Profile } from './profiles/profile-schema.js';
import type { SubjectAttribute } from './subject.js';

const oidSubjectKeyIdentifier = '2.5.29.14';
const oidSubjectAltName = '2.5.29.17';

/** DER length octets (X.690 §8.1.3). */
function derLength(n: number): Uint8Array {
  if (n < 0x80) return Uint8Array.of(n);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Uint8Array.from([0x80 | bytes.length, ...bytes]);
}

/** One DER TLV around already-encoded contents. */
function tlv(tag: number, ...parts: Uint8Array[]): Uint8Array {
  const body = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  return Buffer.concat([Uint8Array.of(tag), derLength(body.length), body]);
}

const oidCache = new Map<string, Uint8Array>();
/** DER OBJECT IDENTIFIER, encoded by asn1js once per OID. */
function oidDer(oid: string): Uint8Array {
  let der = oidCache.get(oid);
  if (!der) oidCache.set(oid, (der = new Uint8Array(new asn1js.ObjectIdentifier({ value: oid }).toBER())));
  return der;
}

/** UTCTime before 2050, GeneralizedTime from 2050 (RFC 5280 §4.1.2.5). */
function timeDer(date: Date): Uint8Array {
  const iso = date.toISOString();
  const digits = iso.slice(0, 4) + iso.slice(5, 7) + iso.slice(8, 10) + iso.slice(11, 13) + iso.slice(14, 16) + iso.slice(17, 19) + 'Z';
  return date.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(digits.slice(2), 'ascii')) : tlv(0x18, Buffer.from(digits, 'ascii'));
}

/** Name as RDNSequence, one attribute per RDN; PrintableString (0x13) or UTF8String (0x0c). */
function nameDer(attributes: SubjectAttribute[]): Uint8Array {
  return tlv(0x30, ...attributes.map((a) => tlv(0x31, tlv(0x30, oidDer(a.type), tlv(a.printable ? 0x13 : 0x0c, Buffer.from(a.value, 'utf8'))))));
}

function extensionDer(oid: string, value: Uint8Array): Uint8Array {
  return tlv(0x30, oidDer(oid), tlv(0x04, value));
}

export interface EndEntityFields {
  serial: string;
  subject: SubjectAttribute[];
  spki: Uint8Array;
  subjectKeyId: string;
  email: string | null;
  notBefore: Date;
  notAfter: Date;
}

/** TBSCertificate version field: [0] EXPLICIT INTEGER 2 (v3). */
const versionV3 = Uint8Array.of(0xa0, 0x03, 0x02, 0x01, 0x02);

/** Everything constant for one profile under one issuing CA, pre-encoded. */
export class EndEntityTemplate {
  /** Extensions before the SKI and after it, DER, in the order endEntityExtensions gives. */
  private readonly before: Uint8Array[];
  private readonly after: Uint8Array[];
  private readonly issuerDer: Uint8Array;
  private readonly algorithmDer: Uint8Array;
  private readonly isEcdsa: boolean;

  constructor(
    private readonly profile: Profile,
    baseUrl: string,
    private readonly issuing: CaMember,
  ) {
    // The constant extensions are built by @peculiar/x509 (extensions.ts) and only their bytes reused.
    const all = endEntityExtensions(profile, { baseUrl, subjectKeyId: '00', issuerKeyId: issuing.keyId, email: null });
    const ski = all.findIndex((e) => e.type === oidSubjectKeyIdentifier);
    const constant = (list: x509.Extension[]) =>
      list.filter((e) => e.type !== oidSubjectKeyIdentifier && e.type !== oidSubjectAltName).map((e) => new Uint8Array(AsnConvert.serialize(AsnConvert.parse(e.rawData, Extension))));
    this.before = constant(all.slice(0, ski));
    this.after = constant(all.slice(ski + 1));
    this.issuerDer = new Uint8Array(issuing.cert.subjectName.toArrayBuffer());
    const webAlgorithm = { ...issuing.signer.algorithm, ...(issuing.signer.privateKey.algorithm as object) };
    this.isEcdsa = (webAlgorithm as { name: string }).name === 'ECDSA';
    this.algorithmDer = new Uint8Array(AsnConvert.serialize(new x509.AlgorithmProvider().toAsnAlgorithm(webAlgorithm as never)));
  }

  /** The DER TBSCertificate (RFC 5280 §4.1) for these fields. */
  tbs(fields: EndEntityFields): Uint8Array {
    const extensions = [...this.before, extensionDer(oidSubjectKeyIdentifier, tlv(0x04, Buffer.from(fields.subjectKeyId, 'hex'))), ...this.after];
    if (this.profile.emailInSubjectAltName && fields.email) {
      // GeneralNames with one rfc822Name ([1] IA5String)
      extensions.push(extensionDer(oidSubjectAltName, tlv(0x30, tlv(0x81, Buffer.from(fields.email, 'ascii')))));
    }
    return tlv(
      0x30,
      versionV3,
      tlv(0x02, Buffer.from(fields.serial, 'hex')),
      this.algorithmDer,
      this.issuerDer,
      tlv(0x30, timeDer(fields.notBefore), timeDer(fields.notAfter)),
      nameDer(fields.subject),
      fields.spki,
      tlv(0xa3, tlv(0x30, ...extensions)),
    );
  }

  /** DER certificate signed by the issuing CA's HSM key. */
  async sign(fields: EndEntityFields): Promise<Uint8Array> {
    const tbsDer = this.tbs(fields);
    let signature = await this.issuing.signer.sign(tbsDer);
    if (this.isEcdsa) {
      // WebCrypto gives r||s (IEEE P1363); X.509 wants the DER Ecdsa-Sig-Value (RFC 5480 §2.2).
      signature = new x509.AsnEcSignatureFormatter().toAsnSignature(this.issuing.signer.algorithm as never, signature) ?? signature;
    }
    return tlv(0x30, tbsDer, this.algorithmDer, tlv(0x03, Uint8Array.of(0), new Uint8Array(signature)));
  }
}
