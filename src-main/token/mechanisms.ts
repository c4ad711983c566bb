/**
 * Which mechanism signs for a PKI algorithm, chosen from what C_GetMechanismList reports — never assumed
 * (PKCS#11 v2.40 §5.5; cards without hash mechanisms get CKM_RSA_PKCS over a DigestInfo).
 */
import { createHash } from 'node:crypto';
import pkcs11js from 'pkcs11js';
import { ObnovaError } from '../../src-shared/contract/errors.js';
import type { SignerAlgorithm } from '../../src-shared/pki/signer.js';
import { toTokenError } from './pkcs11-errors.js';
import type { CardSession } from './card-session.js';

/** C_GetMechanismList for the session's slot, read once per session. */
export function mechanismsOf(session: CardSession): ReadonlySet<number> {
  if (!session.mechanismCache) {
    try {
      session.mechanismCache = new Set(session.lib.C_GetMechanismList(session.slotHandle));
    } catch (error) {
      throw toTokenError(error, 'C_GetMechanismList');
    }
  }
  return session.mechanismCache;
}

/** Current names where PKCS#11 kept an old alias for the same value. */
const preferredNames = new Set(['CKM_EC_KEY_PAIR_GEN', 'CKM_ECDSA', 'CKM_RSA_PKCS']);

/** The names of the mechanisms a slot offers (CKM_*; vendor ones as hex), for diagnostics. */
export function mechanismNames(mechanisms: ReadonlySet<number>): string[] {
  const names = new Map<number, string>();
  for (const [name, value] of Object.entries(pkcs11js as unknown as Record<string, unknown>)) {
    if (name.startsWith('CKM_') && typeof value === 'number' && (!names.has(value) || preferredNames.has(name))) names.set(value, name);
  }
  return [...mechanisms].sort((a, b) => a - b).map((m) => names.get(m) ?? `CKM_0x${m.toString(16).padStart(8, '0')}`);
}

type HashName = 'SHA-256' | 'SHA-384' | 'SHA-512';

/** How one signature is made: the mechanism and what is done to the data before C_Sign. */
export interface SignPlan {
  mechanism: number;
  mechanismName: string;
  /** Hash computed here before C_Sign (null: the mechanism hashes on the card). */
  prehash: HashName | null;
  /** Prefix the hash with its DigestInfo (CKM_RSA_PKCS signs what it is given, RFC 8017 §9.2). */
  digestInfo: boolean;
  /** The card returns r||s, which X.509 wants as DER SEQUENCE{r,s}. */
  ecdsa: boolean;
  keyType: 'rsa' | 'ec';
}

/** DER DigestInfo prefixes from RFC 8017 §9.2, note 1. */
const digestInfoPrefix: Record<HashName, string> = {
  'SHA-256': '3031300d060960864801650304020105000420',
  'SHA-384': '3041300d060960864801650304020205000430',
  'SHA-512': '3051300d060960864801650304020305000440',
};

const algorithms: Record<SignerAlgorithm, { hash: HashName; keyType: 'rsa' | 'ec'; hashing: [number, string] }> = {
  'RSASSA-PKCS1-v1_5-SHA256': { hash: 'SHA-256', keyType: 'rsa', hashing: [pkcs11js.CKM_SHA256_RSA_PKCS, 'CKM_SHA256_RSA_PKCS'] },
  'RSASSA-PKCS1-v1_5-SHA384': { hash: 'SHA-384', keyType: 'rsa', hashing: [pkcs11js.CKM_SHA384_RSA_PKCS, 'CKM_SHA384_RSA_PKCS'] },
  'RSASSA-PKCS1-v1_5-SHA512': { hash: 'SHA-512', keyType: 'rsa', hashing: [pkcs11js.CKM_SHA512_RSA_PKCS, 'CKM_SHA512_RSA_PKCS'] },
  'ECDSA-P256-SHA256': { hash: 'SHA-256', keyType: 'ec', hashing: [pkcs11js.CKM_ECDSA_SHA256, 'CKM_ECDSA_SHA256'] },
  'ECDSA-P384-SHA384': { hash: 'SHA-384', keyType: 'ec', hashing: [pkcs11js.CKM_ECDSA_SHA384, 'CKM_ECDSA_SHA384'] },
};

/**
 * The plan for `algorithm` on a slot offering `mechanisms`. RSA prefers the hashing mechanism (the card
 * sees the data, as with any signing tool); ECDSA prefers plain CKM_ECDSA over a hash made here, which
 * every EC card offers.
 */
export function planSignature(algorithm: SignerAlgorithm, mechanisms: ReadonlySet<number>): SignPlan {
  const a = algorithms[algorithm];
  if (a.keyType === 'rsa') {
    if (mechanisms.has(a.hashing[0])) return { mechanism: a.hashing[0], mechanismName: a.hashing[1], prehash: null, digestInfo: false, ecdsa: false, keyType: 'rsa' };
    if (mechanisms.has(pkcs11js.CKM_RSA_PKCS)) return { mechanism: pkcs11js.CKM_RSA_PKCS, mechanismName: 'CKM_RSA_PKCS', prehash: a.hash, digestInfo: true, ecdsa: false, keyType: 'rsa' };
  } else {
    if (mechanisms.has(pkcs11js.CKM_ECDSA)) return { mechanism: pkcs11js.CKM_ECDSA, mechanismName: 'CKM_ECDSA', prehash: a.hash, digestInfo: false, ecdsa: true, keyType: 'ec' };
    if (mechanisms.has(a.hashing[0])) return { mechanism: a.hashing[0], mechanismName: a.hashing[1], prehash: null, digestInfo: false, ecdsa: true, keyType: 'ec' };
  }
  throw new ObnovaError('TOKEN_MECHANISM_UNSUPPORTED', `the token offers no mechanism for ${algorithm}`, { algorithm });
}

/** The bytes handed to C_Sign under a plan. */
export function signInput(plan: SignPlan, data: Uint8Array): Buffer {
  if (!plan.prehash) return Buffer.from(data);
  const hash = createHash(plan.prehash.replace('-', '').toLowerCase()).update(data).digest();
  return plan.digestInfo ? Buffer.concat([Buffer.from(digestInfoPrefix[plan.prehash], 'hex'), hash]) : hash;
}
