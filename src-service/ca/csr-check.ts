/**
 * Verifies a PKCS#10 request before anything is signed: well-formed, self-signature valid
 * (proof of possession, RFC 2986 §3), key strong enough for the profile, and a subject that
 * asks for nothing the holder record does not say. Read with the strict DER reader and verified
 * with Node's native crypto: this runs once per issuance and sits on the issuance hot path.
 */
import 'reflect-metadata';
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { ObnovaError } from '../../src-shared/contract/errors.js';
import type { KeyAlgorithm } from '../../src-shared/pki/certificate.js';
import { children, DerError, directoryString, expectTag, oidString, readNode } from './der-reader.js';
import type { Profile } from './profiles/profile-schema.js';
import type { SubjectAttribute } from './subject.js';

export interface CheckedCsr {
  /** DER SubjectPublicKeyInfo of the requested key. */
  spki: Uint8Array;
  /** Contents of its subjectPublicKey BIT STRING (what the SKI hashes, RFC 5280 §4.2.1.2). */
  subjectPublicKey: Uint8Array;
  key: KeyAlgorithm;
}

/** Largest request accepted; real ones are around 1 KB. */
const maxCsrBytes = 32 * 1024;

/** Signature algorithms accepted on requests, with the digest Node needs (RSA PKCS#1 v1.5 and ECDSA). */
const signatureDigests: Record<string, string> = {
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
};

const curveNames: Record<string, string> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };

/** Algorithm, size and curve from Node's parsed key (same shape as src-shared/pki's describePublicKey). */
function describeKeyObject(key: KeyObject): KeyAlgorithm {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa') return { name: 'RSA', size: details.modulusLength ?? null, curve: null };
  if (key.asymmetricKeyType === 'ec') {
    const curve = details.namedCurve ? (curveNames[details.namedCurve] ?? details.namedCurve) : null;
    return { name: 'EC', size: curve ? Number(curve.slice(2)) : null, curve };
  }
  if (key.asymmetricKeyType === 'ed25519') return { name: 'Ed25519', size: 256, curve: null };
  return { name: 'unknown', size: null, curve: null };
}

interface ParsedCsr {
  /** DER CertificationRequestInfo: the signed bytes. */
  info: Uint8Array;
  spki: Uint8Array;
  subjectPublicKey: Uint8Array;
  subject: { type: string; value: string | null }[];
  signatureAlgorithm: string;
  signature: Uint8Array;
}

/** CertificationRequest (RFC 2986 §4) read with the strict DER reader. */
function parseCsr(der: Uint8Array): ParsedCsr {
  const root = expectTag(readNode(der, 0, der.length), 0x30, 'CertificationRequest');
  if (root.end !== der.length) throw new DerError('trailing bytes');
  const [infoNode, algNode, sigNode, extra] = children(der, root);
  if (extra) throw new DerError('CertificationRequest has extra fields');
  const info = expectTag(infoNode, 0x30, 'CertificationRequestInfo');
  const [version, subjectNode, spkiNode, attributes] = children(der, info);
  expectTag(version, 0x02, 'version');
  if (version!.end - version!.contentStart !== 1 || der[version!.contentStart] !== 0) throw new DerError('version must be 0');
  expectTag(attributes, 0xa0, 'attributes');
  const subject: ParsedCsr['subject'] = [];
  for (const rdn of children(der, expectTag(subjectNode, 0x30, 'subject'))) {
    for (const atv of children(der, expectTag(rdn, 0x31, 'RDN'))) {
      const [type, value, more] = children(der, expectTag(atv, 0x30, 'AttributeTypeAndValue'));
      if (more || !value) throw new DerError('AttributeTypeAndValue shape');
      subject.push({ type: oidString(der, expectTag(type, 0x06, 'attribute type')), value: directoryString(der, value) });
    }
  }
  const spki = expectTag(spkiNode, 0x30, 'SubjectPublicKeyInfo');
  const [, keyBits] = children(der, spki);
  const bits = expectTag(keyBits, 0x03, 'subjectPublicKey');
  if (der[bits.contentStart] !== 0) throw new DerError('subjectPublicKey has unused bits');
  const [algOid] = children(der, expectTag(algNode, 0x30, 'signatureAlgorithm'));
  const sig = expectTag(sigNode, 0x03, 'signature');
  if (der[sig.contentStart] !== 0) throw new DerError('signature has unused bits');
  return {
    info: der.subarray(info.start, info.end),
    spki: der.subarray(spki.start, spki.end),
    subjectPublicKey: der.subarray(bits.contentStart + 1, bits.end),
    subject,
    signatureAlgorithm: oidString(der, expectTag(algOid, 0x06, 'algorithm')),
    signature: der.subarray(sig.contentStart + 1, sig.end),
  };
}

function toDer(input: Uint8Array | string): Uint8Array {
  if (typeof input !== 'string') return input;
  const match = /-----BEGIN (?:NEW )?CERTIFICATE REQUEST-----([\s\S]*?)-----END (?:NEW )?CERTIFICATE REQUEST-----/.exec(input);
  if (!match) throw new ObnovaError('CA_CSR_INVALID', 'text is not a PEM certificate request');
  return new Uint8Array(Buffer.from(match[1]!.replace(/\s+/g, ''), 'base64'));
}

/** CA_CSR_WEAK_KEY unless the profile accepts the key's algorithm and size or curve. */
function requireStrongKey(key: KeyAlgorithm, profile: Profile): void {
  const accepted = profile.acceptedKeys;
  const strong =
    (key.name === 'RSA' && (key.size ?? 0) >= accepted.rsaMinBits) ||
    (key.name === 'EC' && key.curve !== null && (accepted.ecCurves as string[]).includes(key.curve));
  if (!strong) {
    throw new ObnovaError('CA_CSR_WEAK_KEY', `key ${key.name}${key.size ? `-${key.size}` : ''}${key.curve ? ` ${key.curve}` : ''} is not accepted by ${profile.id}`, {
      algorithm: key.name,
      size: key.size,
      curve: key.curve,
    });
  }
}

/**
 * Checks a bare SubjectPublicKeyInfo whose possession the caller has already proven another way
 * (a CRMF signature POP in a CMP key update): well-formed and strong enough for the profile.
 */
export function checkPublicKey(spkiDer: Uint8Array, profile: Profile): CheckedCsr {
  let subjectPublicKey: Uint8Array;
  let key: KeyAlgorithm;
  try {
    const spki = expectTag(readNode(spkiDer, 0, spkiDer.length), 0x30, 'SubjectPublicKeyInfo');
    if (spki.end !== spkiDer.length) throw new DerError('trailing bytes');
    const bits = expectTag(children(spkiDer, spki)[1], 0x03, 'subjectPublicKey');
    if (spkiDer[bits.contentStart] !== 0) throw new DerError('subjectPublicKey has unused bits');
    subjectPublicKey = spkiDer.subarray(bits.contentStart + 1, bits.end);
    key = describeKeyObject(createPublicKey({ key: Buffer.from(spkiDer), format: 'der', type: 'spki' }));
  } catch (cause) {
    throw new ObnovaError('CA_CSR_INVALID', 'value is not a SubjectPublicKeyInfo', undefined, { cause });
  }
  requireStrongKey(key, profile);
  return { spki: spkiDer, subjectPublicKey, key };
}

/** Parses PEM or DER and runs every check; each failure has its own stable code. */
export async function checkCsr(input: Uint8Array | string, profile: Profile, expectedSubject: SubjectAttribute[]): Promise<CheckedCsr> {
  const size = typeof input === 'string' ? input.length : input.byteLength;
  if (size === 0 || size > maxCsrBytes) throw new ObnovaError('CA_CSR_INVALID', `request size ${size} is outside 1..${maxCsrBytes}`);
  let parsed: ParsedCsr;
  try {
    parsed = parseCsr(toDer(input));
  } catch (cause) {
    if (cause instanceof ObnovaError) throw cause;
    throw new ObnovaError('CA_CSR_INVALID', 'value is not a PKCS#10 certification request', undefined, { cause });
  }
  const { spki } = parsed;
  const digest = signatureDigests[parsed.signatureAlgorithm];
  if (!digest) {
    throw new ObnovaError('CA_CSR_INVALID', `request signature algorithm ${parsed.signatureAlgorithm} is not accepted`, {
      algorithm: parsed.signatureAlgorithm,
    });
  }
  let signatureOk = false;
  let key: KeyAlgorithm = { name: 'unknown', size: null, curve: null };
  try {
    const publicKey = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
    key = describeKeyObject(publicKey);
    signatureOk = verify(digest, parsed.info, publicKey, parsed.signature);
  } catch {
    signatureOk = false;
  }
  if (!signatureOk) throw new ObnovaError('CA_CSR_BAD_SIGNATURE', 'the request is not signed by the key it carries');

  requireStrongKey(key, profile);

  // The subject is taken from the holder record; the request may repeat it but not add to it.
  const expected = new Map<string, string[]>();
  for (const a of expectedSubject) expected.set(a.type, [...(expected.get(a.type) ?? []), a.value]);
  for (const atv of parsed.subject) {
    if (atv.value === null || !(expected.get(atv.type) ?? []).includes(atv.value)) {
      throw new ObnovaError('CA_CSR_SUBJECT_MISMATCH', `the request asks for ${atv.type}="${atv.value ?? '(binary)'}", which the holder record does not have`, {
        attribute: atv.type,
      });
    }
  }
  return { spki, subjectPublicKey: parsed.subjectPublicKey, key };
}
