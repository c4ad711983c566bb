/**
 * Signs with a CA key held in the HSM, through the session's bounded queue. Exposes a
 * WebCrypto facade so @peculiar/x509's generators sign through the queue too.
 */
import { webcrypto } from 'node:crypto';
import type { Crypto as P11Crypto } from 'node-webcrypto-p11';
import { ObnovaError } from '../../src-shared/contract/errors.js';
import type { SignQueue } from './sign-queue.js';
import type { Crypto, CryptoKey, RsaHashedImportParams, EcdsaParams, AlgorithmIdentifier, BufferSource, Algorithm } from '../hsm/webcrypto-types.js';

export class HsmSigner {
  /** A Crypto whose subtle.sign goes to the HSM via the queue; everything else is Node's. */
  readonly webCrypto: Crypto;

  constructor(
    private readonly p11: P11Crypto,
    readonly privateKey: CryptoKey,
    readonly algorithm: RsaHashedImportParams | EcdsaParams,
    private readonly queue: SignQueue,
  ) {
    const sign = (alg: AlgorithmIdentifier, key: CryptoKey, data: BufferSource) => this.signWith(alg, key, data);
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
    return this.signWith(this.algorithm, this.privateKey, data);
  }

  private signWith(alg: AlgorithmIdentifier, key: CryptoKey, data: BufferSource): Promise<ArrayBuffer> {
    return this.queue.run(async () => {
      try {
        return await this.p11.subtle.sign(alg as Algorithm, key as never, data);
      } catch (cause) {
        throw new ObnovaError('CA_HSM_SIGN_FAILED', 'the HSM refused to sign', undefined, { cause });
      }
    });
  }
}
