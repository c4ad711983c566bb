/**
 * Writing X.509 certificate objects (PKCS#11 v2.40 §4.6.3) and proving they were stored: some middleware
 * answer CKR_OK and store nothing, so every write is read back and its key compared with the card's key.
 */
import 'reflect-metadata';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate as X509Asn } from '@peculiar/asn1-x509';
import pkcs11js from 'pkcs11js';
import { ObnovaError } from '../../src-shared/contract/errors.js';
import type { CardSession } from './card-session.js';
import { findByKind, idOfObject, publicKeyOfObject } from './key-objects.js';
import { ecKeyIdBySignature } from './key-proof.js';
import { toTokenError } from './pkcs11-errors.js';
import { keyIdOf, sameKey, type TokenPublicKey, tokenKeyOfSpki } from './public-key.js';
import { findObjects, readAttributes } from './session.js';

/** The attributes of a certificate object that come from the certificate itself. */
interface CertificateFields {
  subject: Buffer;
  issuer: Buffer;
  /** DER INTEGER, as CKA_SERIAL_NUMBER holds it. */
  serialNumber: Buffer;
  key: TokenPublicKey | null;
  commonName: string | null;
}

function derInteger(content: Uint8Array): Buffer {
  const length = content.length;
  const header = length < 0x80 ? [0x02, length] : length < 0x100 ? [0x02, 0x81, length] : [0x02, 0x82, length >> 8, length & 0xff];
  return Buffer.concat([Buffer.from(header), Buffer.from(content)]);
}

function fieldsOf(der: Uint8Array): CertificateFields {
  let cert: X509Asn;
  try {
    cert = AsnConvert.parse(der, X509Asn);
  } catch (cause) {
    throw new ObnovaError('INPUT_INVALID', 'the certificate to write is not DER X.509', undefined, { cause });
  }
  const tbs = cert.tbsCertificate;
  const cn = tbs.subject.flatMap((rdn) => rdn).find((atv) => atv.type === '2.5.4.3');
  return {
    subject: Buffer.from(AsnConvert.serialize(tbs.subject)),
    issuer: Buffer.from(AsnConvert.serialize(tbs.issuer)),
    serialNumber: derInteger(new Uint8Array(tbs.serialNumber)),
    key: tokenKeyOfSpki(new Uint8Array(AsnConvert.serialize(tbs.subjectPublicKeyInfo))),
    commonName: cn ? String(cn.value.toString()) : null,
  };
}

/**
 * The CKA_ID of the key pair on the card that holds `key`: RSA private keys are compared by modulus and
 * exponent; EC private keys carry no point, so their public key object (same CKA_ID) is compared, and
 * without one a challenge signature decides (key-proof.ts).
 * Needs a login where private key objects are private. Null when no key on the card matches.
 */
export function keyIdOnCard(session: CardSession, key: TokenPublicKey, preferredId?: Uint8Array): Buffer | null {
  const privateKeys = findByKind(session, 'private-key', preferredId);
  const privateIds = new Map(privateKeys.map((handle) => [idOfObject(session, handle).toString('hex'), handle]));
  if (key.type === 'rsa') {
    for (const [id, handle] of privateIds) {
      const held = publicKeyOfObject(session, handle, 'rsa');
      if (held && sameKey(held, key)) return Buffer.from(id, 'hex');
    }
    return null;
  }
  for (const handle of findByKind(session, 'public-key', preferredId)) {
    const id = idOfObject(session, handle).toString('hex');
    const held = publicKeyOfObject(session, handle, 'ec');
    if (privateIds.has(id) && held && sameKey(held, key)) return Buffer.from(id, 'hex');
  }
  // No public key object to compare (some cards keep none): prove it with one signature.
  return ecKeyIdBySignature(session, key, preferredId);
}

/** Certificate objects whose CKA_VALUE is exactly `der`. */
function objectsWithValue(session: CardSession, der: Uint8Array): Buffer[] {
  const handles = findObjects(session, [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE },
    { type: pkcs11js.CKA_VALUE, value: Buffer.from(der) },
  ]);
  return handles.filter((h) => readAttributes(session, h, [pkcs11js.CKA_VALUE]).get(pkcs11js.CKA_VALUE)?.equals(der));
}

function createCertificateObject(session: CardSession, der: Uint8Array, fields: CertificateFields, id: Buffer, label: string): void {
  try {
    session.lib.C_CreateObject(session.handle, [
      { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE },
      { type: pkcs11js.CKA_CERTIFICATE_TYPE, value: pkcs11js.CKC_X_509 },
      { type: pkcs11js.CKA_TOKEN, value: true },
      { type: pkcs11js.CKA_PRIVATE, value: false },
      { type: pkcs11js.CKA_MODIFIABLE, value: true },
      { type: pkcs11js.CKA_ID, value: id },
      { type: pkcs11js.CKA_LABEL, value: label },
      { type: pkcs11js.CKA_SUBJECT, value: fields.subject },
      { type: pkcs11js.CKA_ISSUER, value: fields.issuer },
      { type: pkcs11js.CKA_SERIAL_NUMBER, value: fields.serialNumber },
      { type: pkcs11js.CKA_VALUE, value: Buffer.from(der) },
    ]);
  } catch (error) {
    throw toTokenError(error, 'C_CreateObject');
  }
}

/** Reads the object back by value and ID; TOKEN_WRITE_NOT_STORED when the card kept nothing (or something else). */
function verifyStored(session: CardSession, der: Uint8Array, id: Buffer): void {
  const stored = objectsWithValue(session, der).filter((h) => idOfObject(session, h).equals(id));
  if (stored.length === 0) throw new ObnovaError('TOKEN_WRITE_NOT_STORED', 'the certificate object is not on the token after C_CreateObject returned CKR_OK', { keyId: id.toString('hex') });
}

export interface WriteCertificateOptions {
  label: string;
  /** CKA_ID (hex) of the key pair; found by public key when omitted. */
  id?: string;
  /** CA certificates to store too (DER), each under the SHA-1 of its own public key. */
  chain?: readonly Uint8Array[];
}

/**
 * Writes the holder's certificate next to its key pair (same CKA_ID) and the chain, each read back.
 * Refuses (TOKEN_CERTIFICATE_KEY_MISMATCH) a certificate whose public key no key pair on the card holds.
 * A certificate already stored with the same ID is not written twice.
 */
export function writeCertificate(session: CardSession, der: Uint8Array, options: WriteCertificateOptions): { id: string; written: boolean; chainWritten: number } {
  const fields = fieldsOf(der);
  if (!fields.key) throw new ObnovaError('TOKEN_CERTIFICATE_KEY_MISMATCH', 'the certificate has a key type the token layer does not handle');
  const preferred = options.id === undefined ? undefined : Buffer.from(options.id, 'hex');
  const id = keyIdOnCard(session, fields.key, preferred);
  if (!id) {
    throw new ObnovaError('TOKEN_CERTIFICATE_KEY_MISMATCH', 'no key pair on the token holds the public key of this certificate', options.id ? { keyId: options.id } : undefined);
  }
  const already = objectsWithValue(session, der).some((h) => idOfObject(session, h).equals(id));
  if (!already) {
    createCertificateObject(session, der, fields, id, options.label);
    verifyStored(session, der, id);
  }
  // The stored certificate's key must still be the card's key (the read-back could differ from what we sent).
  const again = objectsWithValue(session, der)[0];
  const storedValue = again && readAttributes(session, again, [pkcs11js.CKA_VALUE]).get(pkcs11js.CKA_VALUE);
  const storedKey = storedValue ? fieldsOf(storedValue).key : null;
  if (!storedKey || !keyIdOnCard(session, storedKey, id)) {
    throw new ObnovaError('TOKEN_WRITE_NOT_STORED', 'the stored certificate does not match its private key', { keyId: id.toString('hex') });
  }
  let chainWritten = 0;
  for (const caDer of options.chain ?? []) {
    if (objectsWithValue(session, caDer).length > 0) continue;
    const caFields = fieldsOf(caDer);
    const caId = caFields.key ? Buffer.from(keyIdOf(caFields.key)) : Buffer.alloc(0);
    createCertificateObject(session, caDer, caFields, caId, caFields.commonName ?? 'CA certificate');
    verifyStored(session, caDer, caId);
    chainWritten++;
  }
  return { id: id.toString('hex'), written: !already, chainWritten };
}

/** Destroys every object of `kind` with this CKA_ID; TOKEN_OBJECT_NOT_FOUND when there is none. Returns how many. */
export function deleteObjects(session: CardSession, kind: 'certificate' | 'private-key' | 'public-key', id: string): number {
  const handles = findByKind(session, kind, Buffer.from(id, 'hex'));
  if (handles.length === 0) throw new ObnovaError('TOKEN_OBJECT_NOT_FOUND', 'no object of this kind has this CKA_ID', { kind, keyId: id });
  for (const handle of handles) {
    try {
      session.lib.C_DestroyObject(session.handle, handle);
    } catch (error) {
      throw toTokenError(error, 'C_DestroyObject');
    }
  }
  return handles.length;
}
