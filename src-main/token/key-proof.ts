/**
 * Proof that an EC private key on the card belongs to a public key, for cards that keep no public key
 * object (an EC private key has no CKA_EC_POINT to compare): one CKM_ECDSA signature over a random challenge,
 * verified here against the certificate's key.
 */
import { createHash, createPublicKey, randomBytes, verify } from 'node:crypto';
import pkcs11js from 'pkcs11js';
import type { CardSession } from './card-session.js';
import { findByKind, idOfObject } from './key-objects.js';
import { mechanismsOf } from './mechanisms.js';
import { spkiOf, type TokenPublicKey } from './public-key.js';
import { readAttributes } from './session.js';

const bool = (value: Buffer | null | undefined): boolean => !!value && value.length > 0 && value[0] !== 0;

/**
 * The CKA_ID of an EC private key (with `preferredId`, or any) whose signature verifies under `key`; null if
 * none does. Keys that want a PIN per signature (CKA_ALWAYS_AUTHENTICATE) are not tried.
 */
export function ecKeyIdBySignature(session: CardSession, key: TokenPublicKey & { type: 'ec' }, preferredId?: Uint8Array): Buffer | null {
  if (!mechanismsOf(session).has(pkcs11js.CKM_ECDSA)) return null;
  const publicKey = createPublicKey({ key: Buffer.from(spkiOf(key)), format: 'der', type: 'spki' });
  for (const handle of findByKind(session, 'private-key', preferredId)) {
    const attrs = readAttributes(session, handle, [pkcs11js.CKA_KEY_TYPE, pkcs11js.CKA_ALWAYS_AUTHENTICATE, pkcs11js.CKA_EC_PARAMS]);
    const params = attrs.get(pkcs11js.CKA_EC_PARAMS);
    if (bool(attrs.get(pkcs11js.CKA_ALWAYS_AUTHENTICATE)) || !params || !params.equals(key.params)) continue;
    const challenge = randomBytes(32);
    try {
      session.lib.C_SignInit(session.handle, { mechanism: pkcs11js.CKM_ECDSA }, handle);
      const signature = session.lib.C_Sign(session.handle, createHash('sha256').update(challenge).digest(), Buffer.alloc(256));
      if (verify('sha256', challenge, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature)) return idOfObject(session, handle);
    } catch {
      // A key that cannot sign this way is simply not the proven one.
    }
  }
  return null;
}
