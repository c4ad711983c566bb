/**
 * Verifies a PKCS#10 request before anything is signed: well-formed, self-signature valid
 * (proof of possession, RFC 2986 §3), key strong enough for the profile, and a subject that
 * asks for nothing the holder record does not say.
 */
import 'reflect-metadata';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Name as AsnName } from '@peculiar/asn1-x509';
import * as x509 from '@peculiar/x509';
import { ObnovaError } from '../../src-shared/contract/errors.js';
import { describePublicKey, type KeyAlgorithm } from '../../src-shared/pki/certificate.js';
import type { Profile } from './profiles/profile-schema.js';
import type { SubjectAttribute } from './subject.js';

export interface CheckedCsr {
  csr: x509.Pkcs10CertificateRequest;
  /** DER SubjectPublicKeyInfo of the requested key. */
  spki: Uint8Array;
  key: KeyAlgorithm;
}

/** Largest request accepted; real ones are around 1 KB. */
const maxCsrBytes = 32 * 1024;

/** Parses PEM or DER and runs every check; each failure has its own stable code. */
export async function checkCsr(input: Uint8Array | string, profile: Profile, expectedSubject: SubjectAttribute[]): Promise<CheckedCsr> {
  const size = typeof input === 'string' ? input.length : input.byteLength;
  if (size === 0 || size > maxCsrBytes) throw new ObnovaError('CA_CSR_INVALID', `request size ${size} is outside 1..${maxCsrBytes}`);
  let csr: x509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(typeof input === 'string' ? input : new Uint8Array(input));
  } catch (cause) {
    throw new ObnovaError('CA_CSR_INVALID', 'value is not a PKCS#10 certification request', undefined, { cause });
  }
  let signatureOk = false;
  try {
    signatureOk = await csr.verify();
  } catch {
    signatureOk = false;
  }
  if (!signatureOk) throw new ObnovaError('CA_CSR_BAD_SIGNATURE', 'the request is not signed by the key it carries');

  const spki = new Uint8Array(csr.publicKey.rawData);
  const key = describePublicKey(spki);
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
  const asked = AsnConvert.parse(csr.subjectName.toArrayBuffer(), AsnName);
  for (const rdn of asked) {
    for (const atv of rdn) {
      const value = atv.value.toString();
      if (!(expected.get(atv.type) ?? []).includes(value)) {
        throw new ObnovaError('CA_CSR_SUBJECT_MISMATCH', `the request asks for ${atv.type}="${value}", which the holder record does not have`, {
          attribute: atv.type,
        });
      }
    }
  }
  return { csr, spki, key };
}
