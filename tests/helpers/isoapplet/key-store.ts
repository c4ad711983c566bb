/**
 * The applet's private key slots (keys[0..15]) and what it does with them: GENERATE ASYMMETRIC KEY PAIR
 * (RSA-2048 with e = 65537, EC over explicit prime-field parameters), PERFORM SECURITY OPERATION
 * (RSA PKCS#1 v1.5 on the DigestInfo the host sends, ECDSA with SHA-1 hashed on the card as API 0.6
 * does, decipher RSA PKCS#1). Key material is node:crypto's; the private halves never leave this module
 * except into the card image file (test infrastructure: the image *is* the card's EEPROM).
 */
import { constants, createPrivateKey, generateKeyPairSync, type KeyObject, privateDecrypt, privateEncrypt, sign } from 'node:crypto';
import { fail, findTag, SW, tlv } from './apdu.js';

export const KEY_MAX_COUNT = 16;
export const ALG = { GEN_RSA_2048: 0xf3, GEN_EC: 0xec, RSA_PAD_PKCS1: 0x11, ECDSA_SHA1: 0x21 } as const;
/** EEPROM a key pair takes on a Java Card, roughly (what the "memory full" budget counts). */
export const KEY_COST = { rsa: 1200, ec: 200 } as const;

/** Prime → curve, for the explicit parameters OpenSC sends (pkcs15-isoApplet.c's table). */
const CURVES_BY_PRIME: Record<string, string> = {
  ffffffff00000001000000000000000000000000ffffffffffffffffffffffff: 'prime256v1',
  fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff: 'secp384r1',
  fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f: 'secp256k1',
  a9fb57dba1eea9bc3e660a909d838d726e3bf623d52620282013481d1f6e5377: 'brainpoolP256r1',
};

interface StoredKey {
  kind: 'rsa' | 'ec';
  pkcs8: string;
  /** Field length in bits (EC), for the host's r||s conversion; modulus bits (RSA). */
  bits: number;
}

export type KeyStoreState = Array<StoredKey | null>;

export class KeyStore {
  private readonly keys: KeyStoreState;

  constructor(state?: KeyStoreState) {
    this.keys = state ? [...state] : new Array<StoredKey | null>(KEY_MAX_COUNT).fill(null);
  }

  toJSON(): KeyStoreState {
    return this.keys;
  }

  count(): number {
    return this.keys.filter(Boolean).length;
  }

  usedBytes(): number {
    return this.keys.reduce((sum, key) => sum + (key ? KEY_COST[key.kind] : 0), 0);
  }

  kindAt(ref: number): 'rsa' | 'ec' | null {
    return this.keys[ref]?.kind ?? null;
  }

  private privateKey(ref: number): KeyObject {
    const stored = this.keys[ref];
    if (!stored) fail(SW.DATA_INVALID);
    return createPrivateKey({ key: Buffer.from(stored.pkcs8, 'base64'), format: 'der', type: 'pkcs8' });
  }

  /** RSA-2048: answers 7F49 { 81 modulus, 82 exponent } as sendRSAPublicKey does. */
  generateRsa(ref: number): Buffer {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 0x10001 });
    this.keys[ref] = { kind: 'rsa', bits: 2048, pkcs8: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64') };
    const jwk = publicKey.export({ format: 'jwk' });
    const modulus = Buffer.from(jwk.n!, 'base64url');
    return tlv(0x7f49, Buffer.concat([tlv(0x81, modulus), tlv(0x82, Buffer.from([1, 0, 1]))]));
  }

  /** EC: `params` are the host's 81 p, 82 a, 83 b, 84 G, 85 n, 87 h; answers them back with 86 the public point. */
  generateEc(ref: number, params: Buffer): Buffer {
    const prime = findTag(params, 0x81);
    const curve = prime ? CURVES_BY_PRIME[prime.toString('hex')] : undefined;
    if (!curve) fail(SW.FUNC_NOT_SUPPORTED);
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: curve });
    const fieldBits = prime!.length * 8;
    this.keys[ref] = { kind: 'ec', bits: fieldBits, pkcs8: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64') };
    const jwk = publicKey.export({ format: 'jwk' });
    const point = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]);
    const echoed = [0x81, 0x82, 0x83, 0x84, 0x85].map((tag) => tlv(tag, findTag(params, tag) ?? fail(SW.DATA_INVALID)));
    return tlv(0x7f49, Buffer.concat([...echoed, tlv(0x86, point), tlv(0x87, findTag(params, 0x87) ?? Buffer.from([0, 1]))]));
  }

  signRsaPkcs1(ref: number, digestInfo: Buffer): Buffer {
    if (digestInfo.length > 247) fail(SW.WRONG_LENGTH);
    return privateEncrypt({ key: this.privateKey(ref), padding: constants.RSA_PKCS1_PADDING }, digestInfo);
  }

  /** ECDSA over SHA-1 of the whole message, DER (r, s): the host converts it to r||s for PKCS#11. */
  signEcdsaSha1(ref: number, message: Buffer): Buffer {
    return sign('sha1', message, { key: this.privateKey(ref), dsaEncoding: 'der' });
  }

  decipherRsaPkcs1(ref: number, data: Buffer): Buffer {
    if (data[0] !== 0x00) fail(SW.WRONG_DATA);
    if (data.length - 1 !== 256) fail(SW.WRONG_LENGTH);
    // Node 20 refuses RSA_PKCS1_PADDING in privateDecrypt (Marvin); the card unpads block type 2 itself.
    const block = privateDecrypt({ key: this.privateKey(ref), padding: constants.RSA_NO_PADDING }, data.subarray(1));
    const separator = block.indexOf(0, 2);
    if (block[0] !== 0x00 || block[1] !== 0x02 || separator < 10) fail(SW.WRONG_DATA);
    return block.subarray(separator + 1);
  }
}
