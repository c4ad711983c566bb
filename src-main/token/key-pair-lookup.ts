/**
 * A key pair found again by its CKA_LABEL. The renewal labels its new pair per order before
 * C_GenerateKeyPair, so a process that died after the generation — before its journal said so, or
 * between the two CKA_ID updates — finds the pair on resume instead of making a second key.
 */
import type { GeneratedKeyPair } from './key-generation.js';
import { setPairId } from './key-generation.js';
import { type KeyObject, keysByLabel, publicKeyOfObject } from './key-objects.js';
import { keyIdOf, sameKey, spkiOf, type TokenPublicKey } from './public-key.js';
import type { SessionLike } from './session.js';

/** A labelled private key with its public half (null: an RSA key whose public object is gone) and key. */
interface LabelledPair {
  privateKey: KeyObject;
  publicKey: KeyObject | null;
  key: TokenPublicKey;
  /** SHA-1 of the modulus / EC point: the CKA_ID generateKeyPair gives both halves. */
  id: Buffer;
}

function pairsByLabel(session: SessionLike, label: string): LabelledPair[] {
  const privates = keysByLabel(session, 'private-key', label).filter((k) => k.keyType !== 'other');
  const publics = keysByLabel(session, 'public-key', label)
    .filter((k) => k.keyType !== 'other')
    .map((object) => ({ object, key: publicKeyOfObject(session, object.handle, object.keyType as 'rsa' | 'ec') }))
    .filter((p): p is { object: KeyObject; key: TokenPublicKey } => p.key !== null);
  const claimed = new Set<KeyObject>();
  const pairs: LabelledPair[] = [];
  const unpaired: KeyObject[] = [];
  const claim = (privateKey: KeyObject, publicKey: KeyObject | null, key: TokenPublicKey): void => {
    if (publicKey) claimed.add(publicKey);
    pairs.push({ privateKey, publicKey, key, id: Buffer.from(keyIdOf(key)) });
  };
  for (const privateKey of privates) {
    // An RSA private key carries its modulus and exponent, so its public half is the one with the same key.
    const own = privateKey.keyType === 'rsa' ? publicKeyOfObject(session, privateKey.handle, 'rsa') : null;
    const partner = own
      ? publics.find((p) => !claimed.has(p.object) && sameKey(p.key, own))
      : // An EC private key carries no point (PKCS#11 v2.40 §2.3.4): its public half is the one with its CKA_ID.
        publics.find((p) => !claimed.has(p.object) && p.object.keyType === privateKey.keyType && p.object.id.equals(privateKey.id));
    if (own) claim(privateKey, partner?.object ?? null, own);
    else if (partner) claim(privateKey, partner.object, partner.key);
    else unpaired.push(privateKey);
  }
  // Stopped between the two CKA_ID updates, the halves no longer share an ID: the one private key left
  // over goes with the one public key of its type left over.
  const [lonePrivate] = unpaired;
  const leftover = publics.filter((p) => !claimed.has(p.object) && p.object.keyType === lonePrivate?.keyType);
  if (unpaired.length === 1 && leftover.length === 1 && lonePrivate) claim(lonePrivate, leftover[0]!.object, leftover[0]!.key);
  return pairs;
}

/**
 * The key pair labelled `label` (needs the login: private keys are private), or null when there is none
 * with a readable public key. Halves whose CKA_IDs differ from SHA-1 of the key (a stop between or before
 * the CKA_ID updates) are set to it, as generateKeyPair would have. Several pairs under one label (the
 * renewal never makes them): the one whose key ID sorts first, so every run picks the same one.
 */
export function findKeyPairByLabel(session: SessionLike, label: string): GeneratedKeyPair | null {
  const [pair] = pairsByLabel(session, label).sort((a, b) => Buffer.compare(a.id, b.id));
  if (!pair) return null;
  const inStep = pair.privateKey.id.equals(pair.id) && (!pair.publicKey || pair.publicKey.id.equals(pair.id));
  const id = inStep ? pair.id : setPairId(session, { publicKey: pair.publicKey?.handle ?? null, privateKey: pair.privateKey.handle }, pair.id, pair.privateKey.id);
  return { id: id.toString('hex'), publicKeySpki: spkiOf(pair.key) };
}
