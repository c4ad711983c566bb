/** Verifies a CAdES-BES CMS SignedData: digest, attributes, signature, signer certificate, optionally its chain. */
import * as asn1js from 'asn1js';
import { type Attribute, type SignerInfo, SigningTime, id_contentType, id_messageDigest, id_signingTime } from '@peculiar/asn1-cms';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { ObnovaError } from '../contract/errors.js';
import { hashFromOid, type HashName } from './algorithms.js';
import type { Certificate } from './certificate.js';
import { assertValidChain, type ChainOptions } from './chain.js';
import { bytesEqual, fromHex, toArrayBuffer, toHex } from './encoding.js';
import { SigningCertificate, SigningCertificateV2, id_aa_signingCertificate, id_aa_signingCertificateV2 } from './ess-signing-certificate.js';
import { defaultMaxCmsBytes, parseSignedData } from './cms-parse.js';
import { verifySignature } from './signature.js';

export interface CmsVerifyOptions {
  /** Reject larger input before parsing (default {@link defaultMaxCmsBytes}). */
  maxBytes?: number;
  /** The content, when the CMS is detached. */
  detachedContent?: Uint8Array;
  /** Certificates to look the signer up in besides those inside the CMS. */
  extraCertificates?: Certificate[];
  /** CAdES-BES demands signing-certificate(-v2); plain CMS from other tools may lack it (default true). */
  requireSigningCertificate?: boolean;
  /** Validate the signer's path too; `intermediates` are extended with the CMS's certificates. */
  chain?: ChainOptions;
}

export interface VerifiedCms {
  content: Uint8Array;
  contentType: string;
  signer: Certificate;
  /** Path from the signer to its anchor when `chain` was given, else just the signer. */
  path: Certificate[];
  certificates: Certificate[];
  signingTime: Date | null;
  digestAlgorithm: HashName;
}

function fail(code: 'CMS_ATTRIBUTE_MISSING' | 'CMS_ATTRIBUTE_INVALID', message: string): never {
  throw new ObnovaError(code, message);
}

/** The single value of each attribute type; duplicates or multi-valued attributes are refused (RFC 5652 §11). */
function attributeValues(attributes: Attribute[]): Map<string, ArrayBuffer> {
  const out = new Map<string, ArrayBuffer>();
  for (const a of attributes) {
    if (out.has(a.attrType)) fail('CMS_ATTRIBUTE_INVALID', `signed attribute ${a.attrType} appears twice`);
    const [value, ...more] = a.attrValues;
    if (!value || more.length > 0) fail('CMS_ATTRIBUTE_INVALID', `signed attribute ${a.attrType} must have exactly one value`);
    out.set(a.attrType, value);
  }
  return out;
}

function parseAttribute<T>(oid: string, parse: () => T): T {
  try {
    return parse();
  } catch {
    return fail('CMS_ATTRIBUTE_INVALID', `signed attribute ${oid} does not parse`);
  }
}

function stripZeros(hex: string): string {
  return hex.replace(/^(00)+(?=..)/, '');
}

function findSigner(signerInfo: SignerInfo, pool: Certificate[]): Certificate {
  const sid = signerInfo.sid;
  let found: Certificate | undefined;
  if (sid.issuerAndSerialNumber) {
    const issuer = toHex(new Uint8Array(AsnConvert.serialize(sid.issuerAndSerialNumber.issuer)));
    const serial = stripZeros(toHex(new Uint8Array(sid.issuerAndSerialNumber.serialNumber)));
    found = pool.find((c) => c.issuerNameHex === issuer && stripZeros(c.serialNumber) === serial);
  } else if (sid.subjectKeyIdentifier) {
    const ski = toHex(new Uint8Array(sid.subjectKeyIdentifier.buffer));
    found = pool.find((c) => c.subjectKeyIdentifier === ski);
  }
  if (!found) throw new ObnovaError('CMS_SIGNER_CERT_MISSING', 'the signer certificate is neither in the CMS nor among the given certificates');
  return found;
}

async function checkSigningCertificate(values: Map<string, ArrayBuffer>, signer: Certificate, required: boolean): Promise<void> {
  const v2 = values.get(id_aa_signingCertificateV2);
  const v1 = values.get(id_aa_signingCertificate);
  if (!v2 && !v1) {
    if (required) fail('CMS_ATTRIBUTE_MISSING', 'CAdES-BES requires the signing-certificate-v2 attribute');
    return;
  }
  // EN 319 122-1 §5.2.2: the first ESSCertID identifies the signing certificate.
  const first = v2
    ? parseAttribute(id_aa_signingCertificateV2, () => AsnConvert.parse(v2, SigningCertificateV2).certs[0])
    : parseAttribute(id_aa_signingCertificate, () => AsnConvert.parse(v1!, SigningCertificate).certs[0]);
  if (!first) fail('CMS_ATTRIBUTE_INVALID', 'signing-certificate attribute lists no certificate');
  const hash: HashName = v2 ? hashFromOid((first as { hashAlgorithm?: { algorithm: string } }).hashAlgorithm?.algorithm ?? '2.16.840.1.101.3.4.2.1') : 'SHA-1';
  const digest = hash === 'SHA-256' ? fromHex(signer.fingerprintSha256) : new Uint8Array(await globalThis.crypto.subtle.digest(hash, toArrayBuffer(signer.der)));
  // issuerSerial is optional; when present it must name the signer's issuer and serial too (RFC 5035 §4).
  const issuerSerial = first.issuerSerial;
  const directoryName = issuerSerial?.issuer.find((n) => n.directoryName)?.directoryName;
  const issuerSerialOk =
    !issuerSerial ||
    (stripZeros(toHex(new Uint8Array(issuerSerial.serialNumber))) === stripZeros(signer.serialNumber) &&
      (!directoryName || toHex(new Uint8Array(AsnConvert.serialize(directoryName))) === signer.issuerNameHex));
  if (!bytesEqual(digest, new Uint8Array(first.certHash.buffer)) || !issuerSerialOk) {
    throw new ObnovaError('CMS_SIGNING_CERT_MISMATCH', 'signing-certificate attribute names a different certificate than the signer');
  }
}

/** Verifies `der`; returns the content and the signer certificate, or throws a coded ObnovaError. */
export async function verifyCms(der: Uint8Array, options: CmsVerifyOptions = {}): Promise<VerifiedCms> {
  const parsed = await parseSignedData(der, options.maxBytes ?? defaultMaxCmsBytes);
  const { signerInfo } = parsed;
  const content = parsed.content ?? options.detachedContent;
  if (!content) throw new ObnovaError('CMS_CONTENT_MISSING', 'CMS is detached and no content was given');
  if (!signerInfo.signedAttrs || !parsed.signedAttrsDer) fail('CMS_ATTRIBUTE_MISSING', 'CAdES-BES requires signed attributes');

  const digestAlgorithm = hashFromOid(signerInfo.digestAlgorithm.algorithm);
  const values = attributeValues(signerInfo.signedAttrs);

  const contentTypeValue = values.get(id_contentType) ?? fail('CMS_ATTRIBUTE_MISSING', 'content-type attribute is missing');
  const contentType = parseAttribute(id_contentType, () => {
    const oid = asn1js.fromBER(contentTypeValue).result;
    if (!(oid instanceof asn1js.ObjectIdentifier)) throw new TypeError('not an OID');
    return oid.getValue();
  });
  if (contentType !== parsed.contentType) {
    throw new ObnovaError('CMS_CONTENT_TYPE_MISMATCH', `content-type attribute ${contentType} differs from eContentType ${parsed.contentType}`);
  }

  const digestValue = values.get(id_messageDigest) ?? fail('CMS_ATTRIBUTE_MISSING', 'message-digest attribute is missing');
  const expected = parseAttribute(id_messageDigest, () => new Uint8Array(AsnConvert.parse(digestValue, OctetString).buffer));
  const actual = new Uint8Array(await globalThis.crypto.subtle.digest(digestAlgorithm, toArrayBuffer(content)));
  if (!bytesEqual(expected, actual)) throw new ObnovaError('CMS_DIGEST_MISMATCH', 'content does not match the signed message digest');

  const signingTimeValue = values.get(id_signingTime);
  const signingTime = signingTimeValue ? parseAttribute(id_signingTime, () => AsnConvert.parse(signingTimeValue, SigningTime).getTime()) : null;

  const pool = [...parsed.certificates, ...(options.extraCertificates ?? [])];
  const signer = findSigner(signerInfo, pool);

  // RFC 5652 §5.4: the signature covers the attributes with an EXPLICIT SET OF tag, not the [0] IMPLICIT we received.
  const signedBytes = parsed.signedAttrsDer;
  const valid = await verifySignature({
    spki: signer.subjectPublicKeyInfo,
    algorithm: signerInfo.signatureAlgorithm,
    digestOid: signerInfo.digestAlgorithm.algorithm,
    data: signedBytes,
    signature: new Uint8Array(signerInfo.signature.buffer),
  });
  if (!valid) throw new ObnovaError('CMS_BAD_SIGNATURE', 'CMS signature does not verify with the signer certificate');

  await checkSigningCertificate(values, signer, options.requireSigningCertificate ?? true);

  // RFC 5280 §4.2.1.3: a key restricted to other purposes (e.g. only keyEncipherment) must not sign documents.
  const usages = signer.keyUsages;
  if (usages && !usages.includes('digitalSignature') && !usages.includes('nonRepudiation')) {
    throw new ObnovaError('CERT_KEY_USAGE_INVALID', `${signer.subject} may not be used for signatures (keyUsage ${usages.join(', ')})`);
  }

  const path = options.chain
    ? await assertValidChain(signer, { ...options.chain, intermediates: [...(options.chain.intermediates ?? []), ...pool] })
    : [signer];
  return { content, contentType, signer, path, certificates: parsed.certificates, signingTime, digestAlgorithm };
}
