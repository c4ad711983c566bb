/** The signature algorithm a card key signs with, from its certificate's public key. */
import { ObnovaError } from '../../src-shared/contract/errors.js';
import type { Certificate } from '../../src-shared/pki/certificate.js';
import type { SignerAlgorithm } from '../../src-shared/pki/signer.js';

export function signerAlgorithmFor(certificate: Certificate): SignerAlgorithm {
  const key = certificate.keyAlgorithm;
  if (key.name === 'RSA') return 'RSASSA-PKCS1-v1_5-SHA256';
  if (key.name === 'EC' && key.curve === 'P-256') return 'ECDSA-P256-SHA256';
  if (key.name === 'EC' && key.curve === 'P-384') return 'ECDSA-P384-SHA384';
  throw new ObnovaError('PKI_ALGORITHM_UNSUPPORTED', `no signature algorithm for a ${key.name} ${key.curve ?? key.size ?? ''} key`);
}
