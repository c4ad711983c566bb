import 'reflect-metadata';
import type { webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { certificateKeyOf, ecPointMatches } from '../../../src-main/token/key-evidence.js';

const point = new Uint8Array([0x04, ...Array.from({ length: 64 }, (_, i) => i + 1)]);

describe('ecPointMatches', () => {
  it('accepts CKA_EC_POINT as a DER OCTET STRING (PKCS#11 v2.40) or as the raw point', () => {
    expect(ecPointMatches(new Uint8Array([0x04, 0x41, ...point]), point)).toBe(true);
    expect(ecPointMatches(point, point)).toBe(true);
  });

  it('handles long-form lengths and rejects other points and broken wrappers', () => {
    const big = new Uint8Array([0x04, ...new Uint8Array(132).fill(7)]);
    expect(ecPointMatches(new Uint8Array([0x04, 0x81, 0x85, ...big]), big)).toBe(true);
    const other = point.slice();
    other[10] = 0xff;
    expect(ecPointMatches(new Uint8Array([0x04, 0x41, ...other]), point)).toBe(false);
    expect(ecPointMatches(new Uint8Array([0x04, 0x42, ...point]), point)).toBe(false);
    expect(ecPointMatches(new Uint8Array([0x04]), point)).toBe(false);
  });
});

describe('certificateKeyOf', () => {
  it('reads RSA modulus and exponent and the EC point from a SubjectPublicKeyInfo', async () => {
    const rsa = (await crypto.subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, true, ['sign'])) as webcrypto.CryptoKeyPair;
    const rsaKey = certificateKeyOf(new Uint8Array(await crypto.subtle.exportKey('spki', rsa.publicKey)));
    expect(rsaKey.type).toBe('rsa');
    if (rsaKey.type === 'rsa') {
      expect(rsaKey.modulus.byteLength).toBe(128);
      expect([...rsaKey.exponent]).toEqual([1, 0, 1]);
    }
    const ec = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign'])) as webcrypto.CryptoKeyPair;
    const ecKey = certificateKeyOf(new Uint8Array(await crypto.subtle.exportKey('spki', ec.publicKey)));
    const raw = new Uint8Array(await crypto.subtle.exportKey('raw', ec.publicKey));
    expect(ecKey).toEqual({ type: 'ec', point: raw });
    const ed = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign'])) as webcrypto.CryptoKeyPair;
    expect(certificateKeyOf(new Uint8Array(await crypto.subtle.exportKey('spki', ed.publicKey)))).toEqual({ type: 'other' });
  });
});
