/**
 * Signs with a CA key held in the HSM, through the bounded pool of sessions (one lane per
 * session, the same key looked up in each). Exposes a WebCrypto facade so @peculiar/x509's
 * generators sign through the pool too.
 */

/** One session's view of the key. */
export interface SignerLane {
  crypto: P11Crypto;
  key: CryptoKey;
}
import { webcrypto } from 'node:crypto';
import type { Crypto as P11Crypto } from 'node-webcrypto-p11';
import { ObnovaError } from '../../src-shared/contract/errors.js';
import type { SignPool } from './sign-queue.js';
import type { Crypto, CryptoKey, RsaHashedImportParams, EcdsaParams, AlgorithmIdentifier, BufferSource, Algorithm } from '../hsm/webcrypto-types.js';

export class HsmSigner {
  /** A Crypto whose subtle.sign goes to the HSM via the queue; everything else is Node's. */
  readonly webCrypto: Crypto;

  /** The key as seen by the first session (its algorithm describes every lane's key). */
  readonly privateKey: CryptoKey;

  constructor(
    private readonly lanes: SignerLane[],
    readonly algorithm: RsaHashedImportParams | EcdsaParams,
    private readonly pool: SignPool,
  ) {
    if (lanes.length !== pool.laneCount) throw new Error('one signer lane per pool lane');
    this.privateKey = lanes[0]!.key;
    // The facade is only ever handed this signer's own key, so each lane signs with its copy of it.
    const sign = (alg: AlgorithmIdentifier, _key: CryptoKey, data: BufferSource) => this.signWith(alg, data);
    const subtle = new Proxy(webcrypto.subtle, {
      get: (target, prop) => {
        if (prop === 'sign') return sign;
        const value = Reflect.get(target, prop, target) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    this.webCrypto = {
      subtle,
      getRandomValues: webcrypto.getRandomValues.bind(webcrypto),
      randomUUID: webcrypto.randomUUID.bind(webcrypto),
    } as unknown as Crypto;
  }

  /** Signature over `data` with the CA key (raw PKCS#1 v1.5 or IEEE P1363 ECDSA, as WebCrypto gives). */
  sign(data: BufferSource): Promise<ArrayBuffer> {
    return this.signWith(this.algorithm, data);
  }

  private signWith(alg: AlgorithmIdentifier, data: BufferSource): Promise<ArrayBuffer> {
    return this.pool.run(async (index) => {
      const lane = this.lanes[index]!;
      try {
        return await lane.crypto.subtle.sign(alg as Algorithm, lane.key as never, data);
      } catch (cause) {
        throw new ObnovaError('CA_HSM_SIGN_FAILED', 'the HSM refused to sign', undefined, { cause });
      }
    });
  }
}
