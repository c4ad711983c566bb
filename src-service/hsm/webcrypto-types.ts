/** WebCrypto type names for Node code (the node tsconfig has no DOM lib). */
import type { webcrypto } from 'node:crypto';

export type CryptoKey = webcrypto.CryptoKey;
export type CryptoKeyPair = webcrypto.CryptoKeyPair;
export type Crypto = webcrypto.Crypto;
export type BufferSource = webcrypto.BufferSource;
export type AlgorithmIdentifier = webcrypto.AlgorithmIdentifier;
export type Algorithm = webcrypto.Algorithm;
export type RsaHashedKeyGenParams = webcrypto.RsaHashedKeyGenParams;
export type EcKeyGenParams = webcrypto.EcKeyGenParams;
export type RsaHashedImportParams = webcrypto.RsaHashedImportParams;
export type EcdsaParams = webcrypto.EcdsaParams;
