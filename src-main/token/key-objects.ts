/** Finding key and certificate objects by CKA_ID or CKA_LABEL, and reading a key's public half, in few round trips. */
import pkcs11js from 'pkcs11js';
import { ObnovaError } from '../../src-shared/contract/errors.js';
import type { TokenPublicKey } from './public-key.js';
import { findObjects, readAttributes, type SessionLike } from './session.js';

export type ObjectKind = 'certificate' | 'private-key' | 'public-key';

const classOf: Record<ObjectKind, number> = {
  certificate: pkcs11js.CKO_CERTIFICATE,
  'private-key': pkcs11js.CKO_PRIVATE_KEY,
  'public-key': pkcs11js.CKO_PUBLIC_KEY,
};

const ulong = (value: Buffer | null | undefined): number | null => (value && value.length >= 4 ? Number(value.readUIntLE(0, Math.min(value.length, 6))) : null);
const bool = (value: Buffer | null | undefined): boolean => !!value && value.length > 0 && value[0] !== 0;
const keyTypeOf = (value: Buffer | null | undefined): 'rsa' | 'ec' | 'other' => {
  const type = ulong(value);
  return type === pkcs11js.CKK_RSA ? 'rsa' : type === pkcs11js.CKK_EC ? 'ec' : 'other';
};

/** Handles of the objects of one kind, optionally with one CKA_ID. */
export function findByKind(session: SessionLike, kind: ObjectKind, id?: Uint8Array): Buffer[] {
  const template = [{ type: pkcs11js.CKA_CLASS, value: classOf[kind] }];
  if (id) template.push({ type: pkcs11js.CKA_ID, value: Buffer.from(id) as unknown as number });
  return findObjects(session, template);
}

/** A key object with its type and CKA_ID, as a search by label lists it. */
export interface KeyObject {
  handle: Buffer;
  keyType: 'rsa' | 'ec' | 'other';
  id: Buffer;
}

/** The key objects of one kind whose CKA_LABEL is `label` (private keys only after a login on most cards). */
export function keysByLabel(session: SessionLike, kind: 'private-key' | 'public-key', label: string): KeyObject[] {
  const handles = findObjects(session, [
    { type: pkcs11js.CKA_CLASS, value: classOf[kind] },
    { type: pkcs11js.CKA_LABEL, value: label },
  ]);
  return handles.map((handle) => {
    const attrs = readAttributes(session, handle, [pkcs11js.CKA_KEY_TYPE, pkcs11js.CKA_ID]);
    return { handle, keyType: keyTypeOf(attrs.get(pkcs11js.CKA_KEY_TYPE)), id: attrs.get(pkcs11js.CKA_ID) ?? Buffer.alloc(0) };
  });
}

/** A private key found by CKA_ID with what signing needs, read in one C_GetAttributeValue. */
export interface PrivateKeyObject {
  handle: Buffer;
  keyType: 'rsa' | 'ec' | 'other';
  alwaysAuthenticate: boolean;
}

/** The private key with this CKA_ID (needs a login on cards that keep keys private); TOKEN_KEY_NOT_FOUND if none. */
export function privateKeyById(session: SessionLike, id: Uint8Array): PrivateKeyObject {
  const [handle] = findByKind(session, 'private-key', id);
  if (!handle) throw new ObnovaError('TOKEN_KEY_NOT_FOUND', 'no private key object has this CKA_ID', { keyId: Buffer.from(id).toString('hex') });
  const attrs = readAttributes(session, handle, [pkcs11js.CKA_KEY_TYPE, pkcs11js.CKA_ALWAYS_AUTHENTICATE]);
  return {
    handle,
    keyType: keyTypeOf(attrs.get(pkcs11js.CKA_KEY_TYPE)),
    alwaysAuthenticate: bool(attrs.get(pkcs11js.CKA_ALWAYS_AUTHENTICATE)),
  };
}

/**
 * The public key held by a key object: RSA modulus/exponent (readable on private keys too), EC
 * parameters and point (public key objects only; a private EC key has no CKA_EC_POINT). Null if unreadable.
 */
export function publicKeyOfObject(session: SessionLike, handle: Buffer, keyType: 'rsa' | 'ec'): TokenPublicKey | null {
  if (keyType === 'rsa') {
    const attrs = readAttributes(session, handle, [pkcs11js.CKA_MODULUS, pkcs11js.CKA_PUBLIC_EXPONENT]);
    const modulus = attrs.get(pkcs11js.CKA_MODULUS);
    const exponent = attrs.get(pkcs11js.CKA_PUBLIC_EXPONENT);
    return modulus && exponent ? { type: 'rsa', modulus, exponent } : null;
  }
  const attrs = readAttributes(session, handle, [pkcs11js.CKA_EC_PARAMS, pkcs11js.CKA_EC_POINT]);
  const params = attrs.get(pkcs11js.CKA_EC_PARAMS);
  const point = attrs.get(pkcs11js.CKA_EC_POINT);
  return params && point ? { type: 'ec', params, point } : null;
}

/** CKA_ID of an object ('' when it has none). */
export function idOfObject(session: SessionLike, handle: Buffer): Buffer {
  return readAttributes(session, handle, [pkcs11js.CKA_ID]).get(pkcs11js.CKA_ID) ?? Buffer.alloc(0);
}
