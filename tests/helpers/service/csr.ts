/** Software-key PKCS#10 requests for tests (the on-card path is covered by card issuance). */
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

export type TestKey = 'RSA-2048' | 'RSA-1024' | 'EC-P256' | 'EC-P384';

/** A key pair and a PEM request signed by it, for `subject` (may be empty). */
export async function makeCsr(keyType: TestKey = 'EC-P256', subject = ''): Promise<{ pem: string; der: Uint8Array; keys: webcrypto.CryptoKeyPair }> {
  const alg = keyType.startsWith('RSA')
    ? { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: Number(keyType.slice(4)) }
    : { name: 'ECDSA', namedCurve: keyType === 'EC-P384' ? 'P-384' : 'P-256', hash: 'SHA-256' };
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name: subject || undefined, keys, signingAlgorithm: alg } as never);
  return { pem: csr.toString('pem'), der: new Uint8Array(csr.rawData), keys };
}

/** The same request with one signature byte flipped: the self-signature no longer verifies. */
export function tamperSignature(der: Uint8Array): Uint8Array {
  const copy = new Uint8Array(der);
  copy[copy.length - 3] = (copy[copy.length - 3] ?? 0) ^ 0x01;
  return copy;
}
