/**
 * The PKI layer's Signer over a private key on the card: C_SignInit + C_Sign with the mechanism chosen
 * from the slot's list, the context-specific login for CKA_ALWAYS_AUTHENTICATE keys, ECDSA r||s → DER.
 */
import { ObnovaError } from '../../src-shared/contract/errors.js';
import type { Certificate } from '../../src-shared/pki/certificate.js';
import { ecdsaRawToDer } from '../../src-shared/pki/ecdsa-signature.js';
import type { Signer, SignerAlgorithm } from '../../src-shared/pki/signer.js';
import type { CardSession } from './card-session.js';
import { privateKeyById } from './key-objects.js';
import { contextSpecificLogin, type PinInput } from './login.js';
import { mechanismsOf, planSignature, signInput } from './mechanisms.js';
import { toTokenError } from './pkcs11-errors.js';

/** Largest signature we expect: RSA-8192 is 1024 bytes. */
const signatureBufferSize = 1024;

export interface CardSignOptions {
  threadSafe: boolean;
  /** The module's path, for a PIN-pad context-specific login on a worker thread. */
  modulePath: string;
  /** Asked before each signature with a CKA_ALWAYS_AUTHENTICATE key; without it such keys use the pad if the sitting logged in on it, else fail with TOKEN_NOT_LOGGED_IN. */
  requestPin?: () => Promise<PinInput>;
}

/** One signature with the private key `keyId` (CKA_ID bytes) in a logged-in card session. */
export async function signOnCard(session: CardSession, keyId: Uint8Array, algorithm: SignerAlgorithm, data: Uint8Array, options: CardSignOptions): Promise<Uint8Array> {
  const key = privateKeyById(session, keyId);
  const plan = planSignature(algorithm, mechanismsOf(session));
  if (key.keyType !== plan.keyType) {
    throw new ObnovaError('TOKEN_MECHANISM_UNSUPPORTED', `the key is not a ${plan.keyType.toUpperCase()} key, so it cannot sign ${algorithm}`, { algorithm, keyType: key.keyType });
  }
  const input = signInput(plan, data);
  // The PIN for an always-authenticate key is asked before C_SignInit, so no operation waits on a person.
  const credential = key.alwaysAuthenticate ? await askPin(session, options) : null;
  try {
    session.lib.C_SignInit(session.handle, { mechanism: plan.mechanism }, key.handle);
  } catch (error) {
    throw toTokenError(error, 'C_SignInit');
  }
  if (credential !== null) await contextSpecificLogin(session, credential, options.modulePath);
  let signature: Buffer;
  try {
    const out = Buffer.alloc(signatureBufferSize);
    signature = options.threadSafe ? await session.lib.C_SignAsync(session.handle, input, out) : session.lib.C_Sign(session.handle, input, out);
  } catch (error) {
    throw toTokenError(error, 'C_Sign');
  }
  return plan.ecdsa ? ecdsaRawToDer(new Uint8Array(signature)) : new Uint8Array(signature);
}

/** The credential for a context-specific login: the caller's prompt, else the pad when the sitting logged in on it. */
async function askPin(session: CardSession, options: CardSignOptions): Promise<PinInput> {
  if (options.requestPin) return options.requestPin();
  // The holder chose the pad for this sitting; nothing typed in the app exists to ask for.
  if (session.loggedInOnPad) return { pinPad: true };
  throw new ObnovaError('TOKEN_NOT_LOGGED_IN', 'the key needs the PIN before every signature (CKA_ALWAYS_AUTHENTICATE) and no PIN prompt was given');
}

/** A Signer whose sign() runs `signOnCard` through `run` (the slot's queue with the sitting's session). */
export function cardSigner(
  run: <T>(job: (session: CardSession) => Promise<T>) => Promise<T>,
  keyId: Uint8Array,
  algorithm: SignerAlgorithm,
  options: { certificate?: Certificate; requestPin?: () => Promise<PinInput>; threadSafe: () => boolean; modulePath: () => string },
): Signer {
  return {
    algorithm,
    ...(options.certificate ? { certificate: options.certificate } : {}),
    sign: (data) =>
      run((session) =>
        signOnCard(session, keyId, algorithm, data, {
          threadSafe: options.threadSafe(),
          modulePath: options.modulePath(),
          ...(options.requestPin ? { requestPin: options.requestPin } : {}),
        }),
      ),
  };
}


/** The signature algorithm a key of this kind signs with by default: RSA → SHA-256 PKCS#1 v1.5, P-256/P-384 → ECDSA. */
export function defaultSignerAlgorithm(key: { name: string; curve: string | null }): SignerAlgorithm {
  if (key.name === 'RSA') return 'RSASSA-PKCS1-v1_5-SHA256';
  if (key.name === 'EC' && key.curve === 'P-256') return 'ECDSA-P256-SHA256';
  if (key.name === 'EC' && key.curve === 'P-384') return 'ECDSA-P384-SHA384';
  throw new ObnovaError('PKI_ALGORITHM_UNSUPPORTED', `no card signature algorithm for a ${key.name} key`, { keyAlgorithm: key.name, curve: key.curve });
}
