/**
 * Key pairs generated on the card (PKCS#11 v2.40 §5.14, C_GenerateKeyPair): the private key is
 * sensitive and never extractable, and both halves get the CKA_ID most middleware derives from the key.
 */
import { randomBytes } from 'node:crypto';
import pkcs11js from 'pkcs11js';
import type { Template } from 'pkcs11js';
import { ObnovaError } from '../../src-shared/contract/errors.js';
import type { CardSession } from './card-session.js';
import { publicKeyOfObject } from './key-objects.js';
import { mechanismsOf } from './mechanisms.js';
import { toTokenError } from './pkcs11-errors.js';
import { keyIdOf, spkiOf } from './public-key.js';
import type { SessionLike } from './session.js';

/** What to generate: RSA 2048/3072 (the CA policy picks) or EC P-256. */
export type KeyPairSpec = { type: 'RSA'; size: 2048 | 3072; label: string } | { type: 'EC'; curve: 'P-256'; label: string };

/** A generated pair: its CKA_ID (hex) and public key (DER SubjectPublicKeyInfo) for the CSR. */
export interface GeneratedKeyPair {
  id: string;
  publicKeySpki: Uint8Array;
}

/** DER OID of prime256v1 / secp256r1 (RFC 5480 §2.1.1.1), the CKA_EC_PARAMS value. */
const p256Params = Buffer.from('06082a8648ce3d030107', 'hex');

function checkMechanism(session: CardSession, spec: KeyPairSpec): number {
  const mechanism = spec.type === 'RSA' ? pkcs11js.CKM_RSA_PKCS_KEY_PAIR_GEN : pkcs11js.CKM_EC_KEY_PAIR_GEN;
  if (!mechanismsOf(session).has(mechanism)) {
    throw new ObnovaError('TOKEN_MECHANISM_UNSUPPORTED', `the token cannot generate ${spec.type} key pairs`, { keyType: spec.type });
  }
  if (spec.type === 'RSA') {
    let info: { minKeySize: number; maxKeySize: number };
    try {
      info = session.lib.C_GetMechanismInfo(session.slotHandle, mechanism);
    } catch (error) {
      throw toTokenError(error, 'C_GetMechanismInfo');
    }
    // Sizes are in bits for RSA; 0 means the module does not say.
    if ((info.minKeySize && spec.size < info.minKeySize) || (info.maxKeySize && spec.size > info.maxKeySize)) {
      throw new ObnovaError('TOKEN_MECHANISM_UNSUPPORTED', `the token cannot generate RSA-${spec.size} keys`, {
        keyType: 'RSA',
        size: spec.size,
        minKeySize: info.minKeySize,
        maxKeySize: info.maxKeySize,
      });
    }
  }
  return mechanism;
}

function templates(spec: KeyPairSpec, id: Buffer): { publicTemplate: Template; privateTemplate: Template } {
  const common: Template = [
    { type: pkcs11js.CKA_TOKEN, value: true },
    { type: pkcs11js.CKA_ID, value: id },
    { type: pkcs11js.CKA_LABEL, value: spec.label },
  ];
  const publicTemplate: Template = [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PUBLIC_KEY },
    ...common,
    { type: pkcs11js.CKA_PRIVATE, value: false },
    { type: pkcs11js.CKA_VERIFY, value: true },
    ...(spec.type === 'RSA'
      ? [
          { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_RSA },
          { type: pkcs11js.CKA_MODULUS_BITS, value: spec.size },
          { type: pkcs11js.CKA_PUBLIC_EXPONENT, value: Buffer.from([0x01, 0x00, 0x01]) },
        ]
      : [
          { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_EC },
          { type: pkcs11js.CKA_EC_PARAMS, value: p256Params },
        ]),
  ];
  const privateTemplate: Template = [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY },
    { type: pkcs11js.CKA_KEY_TYPE, value: spec.type === 'RSA' ? pkcs11js.CKK_RSA : pkcs11js.CKK_EC },
    ...common,
    { type: pkcs11js.CKA_PRIVATE, value: true },
    { type: pkcs11js.CKA_SENSITIVE, value: true },
    { type: pkcs11js.CKA_EXTRACTABLE, value: false },
    { type: pkcs11js.CKA_SIGN, value: true },
  ];
  return { publicTemplate, privateTemplate };
}

/**
 * Gives both halves of a pair the CKA_ID `id` (public half first, as generation does) and returns the ID
 * they share. A module that refuses to change CKA_ID (CKR_ATTRIBUTE_READ_ONLY) keeps `fallbackId`, the
 * private half's current one: the public half is put back in step with it.
 */
export function setPairId(session: SessionLike, halves: { publicKey: Buffer | null; privateKey: Buffer }, id: Buffer, fallbackId: Buffer): Buffer {
  try {
    if (halves.publicKey) session.lib.C_SetAttributeValue(session.handle, halves.publicKey, [{ type: pkcs11js.CKA_ID, value: id }]);
    session.lib.C_SetAttributeValue(session.handle, halves.privateKey, [{ type: pkcs11js.CKA_ID, value: id }]);
    return id;
  } catch (error) {
    const coded = toTokenError(error, 'C_SetAttributeValue');
    if (coded.code === 'TOKEN_REMOVED') throw coded;
    try {
      if (halves.publicKey) session.lib.C_SetAttributeValue(session.handle, halves.publicKey, [{ type: pkcs11js.CKA_ID, value: fallbackId }]);
    } catch {
      // It was never changed.
    }
    return fallbackId;
  }
}

/**
 * Generates the pair (asynchronously on libuv's thread pool when the module is thread-safe, so the
 * event loop keeps running), then sets CKA_ID on both halves to SHA-1 of the modulus / EC point. A
 * module that refuses to change CKA_ID keeps the random ID it was generated with.
 */
export async function generateKeyPair(session: CardSession, spec: KeyPairSpec, options: { threadSafe: boolean }): Promise<GeneratedKeyPair> {
  const mechanism = checkMechanism(session, spec);
  const provisionalId = randomBytes(20);
  const { publicTemplate, privateTemplate } = templates(spec, provisionalId);
  let keys: { publicKey: Buffer; privateKey: Buffer };
  try {
    keys = options.threadSafe
      ? await session.lib.C_GenerateKeyPairAsync(session.handle, { mechanism }, publicTemplate, privateTemplate)
      : session.lib.C_GenerateKeyPair(session.handle, { mechanism }, publicTemplate, privateTemplate);
  } catch (error) {
    throw toTokenError(error, 'C_GenerateKeyPair');
  }
  const publicKey = publicKeyOfObject(session, keys.publicKey, spec.type === 'RSA' ? 'rsa' : 'ec');
  if (!publicKey) throw new ObnovaError('TOKEN_PKCS11_ERROR', 'the generated public key cannot be read', { operation: 'C_GetAttributeValue', ckr: null });
  const finalId = setPairId(session, { publicKey: keys.publicKey, privateKey: keys.privateKey }, Buffer.from(keyIdOf(publicKey)), provisionalId);
  return { id: finalId.toString('hex'), publicKeySpki: spkiOf(publicKey) };
}
