/**
 * Verifies a PKCS#10 request before anything is signed: well-formed, self-signature valid
 * (proof of possession, RFC 2986 §3), key strong enough for the profile, and a subject that
 * asks for nothing the holder record does not say. Parsed with asn1-schema and verified with
 * Node's native crypto: this runs once per issuance and sits on the issuance hot path.
 */
import 'reflect-metadata';
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { CertificationRequest } from '@peculiar/asn1-csr';
import { AsnConvert } from '@peculiar/asn1-schema';
import { ObnovaError } from '../../src-shared/contract/errors.js';
import type { KeyAlgorithm } from '../../src-shared/pki/certificate.js';
import type { Profile } from './profiles/profile-schema.js';
import type { SubjectAttribute } from './subject.js';

export interface CheckedCsr {
  /** DER SubjectPublicKeyInfo of the requested key. */
  spki: Uint8Array;
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

function toDer(input: Uint8Array | string): Uint8Array {
  if (typeof input !== 'string') return input;
  const match = /-----BEGIN (?:NEW )?CERTIFICATE REQUEST-----([\s\S]*?)-----END (?:NEW )?CERTIFICATE REQUEST-----/.exec(input);
  if (!match) throw new ObnovaError('CA_CSR_INVALID', 'text is not a PEM certificate request');
  return new Uint8Array(Buffer.from(match[1]!.replace(/\s+/g, ''), 'base64'));
}

/** Parses PEM or DER and runs every check; each failure has its own stable code. */
export async function checkCsr(input: Uint8Array | string, profile: Profile, expectedSubject: SubjectAttribute[]): Promise<CheckedCsr> {
  const size = typeof input === 'string' ? input.length : input.byteLength;
  if (size === 0 || size > maxCsrBytes) throw new ObnovaError('CA_CSR_INVALID', `request size ${size} is outside 1..${maxCsrBytes}`);
  let csr: CertificationRequest;
  let spki: Uint8Array;
  try {
    csr = AsnConvert.parse(toDer(input), CertificationRequest);
    spki = new Uint8Array(AsnConvert.serialize(csr.certificationRequestInfo.subjectPKInfo));
  } catch (cause) {
    if (cause instanceof ObnovaError) throw cause;
    throw new ObnovaError('CA_CSR_INVALID', 'value is not a PKCS#10 certification request', undefined, { cause });
  }
  const digest = signatureDigests[csr.signatureAlgorithm.algorithm];
  if (!digest || !csr.certificationRequestInfoRaw) {
    throw new ObnovaError('CA_CSR_INVALID', `request signature algorithm ${csr.signatureAlgorithm.algorithm} is not accepted`, {
      algorithm: csr.signatureAlgorithm.algorithm,
    });
  }
  let signatureOk = false;
  let key: KeyAlgorithm = { name: 'unknown', size: null, curve: null };
  try {
    const publicKey = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
    key = describeKeyObject(publicKey);
    signatureOk = verify(digest, new Uint8Array(csr.certificationRequestInfoRaw), publicKey, new Uint8Array(csr.signature));
  } catch {
    signatureOk = false;
  }
  if (!signatureOk) throw new ObnovaError('CA_CSR_BAD_SIGNATURE', 'the request is not signed by the key it carries');

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

  // The subject is taken from the holder record; the request may repeat it but not add to it.
  const expected = new Map<string, string[]>();
  for (const a of expectedSubject) expected.set(a.type, [...(expected.get(a.type) ?? []), a.value]);
  for (const rdn of csr.certificationRequestInfo.subject) {
    for (const atv of rdn) {
      const value = atv.value.toString();
      if (!(expected.get(atv.type) ?? []).includes(value)) {
        throw new ObnovaError('CA_CSR_SUBJECT_MISMATCH', `the request asks for ${atv.type}="${value}", which the holder record does not have`, {
          attribute: atv.type,
        });
      }
    }
  }
  return { spki, key };
}
