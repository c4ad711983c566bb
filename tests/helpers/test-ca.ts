/** A software certificate authority for tests: a key in memory and a self-signed CA certificate. */
import 'reflect-metadata';
import { randomBytes, type webcrypto } from 'node:crypto';
import {
  BasicConstraintsExtension,
  KeyUsageFlags,
  KeyUsagesExtension,
  SubjectKeyIdentifierExtension,
  type X509Certificate,
  X509CertificateGenerator,
} from '@peculiar/x509';

export interface TestCa {
  name: string;
  keys: webcrypto.CryptoKeyPair;
  certificate: X509Certificate;
  der: Uint8Array;
  /** The WebCrypto algorithm certificates issued by this CA are signed with. */
  signingAlgorithm: webcrypto.EcdsaParams | webcrypto.Algorithm;
}

/** A positive serial number of `bytes` random bytes, as hex (what X509CertificateGenerator takes). */
export function randomSerial(bytes = 16): string {
  const serial = randomBytes(bytes);
  serial[0] = (serial[0]! & 0x7f) | 0x01; // positive, no leading zero byte to strip
  return serial.toString('hex');
}

/** Creates a P-256 CA valid from yesterday for ten years. */
export async function createTestCa(options: { name?: string } = {}): Promise<TestCa> {
  const name = options.name ?? 'CN=Obnova Test Qualified CA,O=Obnova Test,C=SI';
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256' };
  const keys = (await crypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const now = Date.now();
  const certificate = await X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name,
    notBefore: new Date(now - 86_400_000),
    notAfter: new Date(now + 10 * 365 * 86_400_000),
    keys,
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' } as webcrypto.EcdsaParams,
    extensions: [
      new BasicConstraintsExtension(true, 0, true),
      new KeyUsagesExtension(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign, true),
      await SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { name, keys, certificate, der: new Uint8Array(certificate.rawData), signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' } as webcrypto.EcdsaParams };
}
