import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { keyIdOf, rawEcPoint, sameKey, spkiOf, tokenKeyOfSpki } from '../../../src-main/token/public-key.js';

describe('public keys in PKCS#11 form', () => {
  it('CKA_EC_POINT: DER OCTET STRING (the spec) and raw points (some modules) give the same point', () => {
    const point = Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 7)]);
    const der = Buffer.concat([Buffer.from([4, 65]), point]);
    expect(Buffer.from(rawEcPoint(der)).equals(point)).toBe(true);
    expect(Buffer.from(rawEcPoint(point)).equals(point)).toBe(true);
  });

  it('builds SPKIs node:crypto reads back, RSA and EC, and the SHA-1 CKA_ID convention', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
    const rsaSpki = rsa.export({ format: 'der', type: 'spki' });
    const rsaKey = tokenKeyOfSpki(rsaSpki)!;
    expect(Buffer.from(spkiOf(rsaKey)).equals(rsaSpki)).toBe(true);
    // A padded modulus (as some modules return it) is the same key with the same ID.
    const padded = { ...rsaKey, modulus: Buffer.concat([Buffer.from([0, 0]), rsaKey.type === 'rsa' ? rsaKey.modulus : Buffer.alloc(0)]) };
    expect(sameKey(rsaKey, padded)).toBe(true);
    expect(Buffer.from(keyIdOf(padded)).toString('hex')).toBe(createHash('sha1').update(Buffer.from(rsa.export({ format: 'jwk' }).n!, 'base64url')).digest('hex'));

    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
    const ecSpki = ec.export({ format: 'der', type: 'spki' });
    const ecKey = tokenKeyOfSpki(ecSpki)!;
    expect(ecKey.type).toBe('ec');
    const wrapped = ecKey.type === 'ec' ? { ...ecKey, point: Buffer.concat([Buffer.from([4, 65]), ecKey.point]) } : ecKey;
    expect(Buffer.from(spkiOf(wrapped)).equals(ecSpki)).toBe(true);
    expect(createPublicKey({ key: Buffer.from(spkiOf(wrapped)), format: 'der', type: 'spki' }).asymmetricKeyType).toBe('ec');
    expect(sameKey(ecKey, wrapped)).toBe(true);
    expect(sameKey(ecKey, rsaKey)).toBe(false);
  });
});
