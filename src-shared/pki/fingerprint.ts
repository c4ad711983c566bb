/** Certificate fingerprints as export and data sheets show them. */
import type { HashName } from './algorithms.js';
import { toArrayBuffer, toHex } from './encoding.js';

/** Lowercase hex digest of DER bytes (SHA-256 by default; SHA-1 only for legacy displays). */
export async function fingerprint(der: Uint8Array, hash: HashName = 'SHA-256'): Promise<string> {
  return toHex(new Uint8Array(await globalThis.crypto.subtle.digest(hash, toArrayBuffer(der))));
}

/** `AB:CD:…` as `openssl x509 -fingerprint` prints it. */
export function formatFingerprint(hex: string): string {
  return (hex.toUpperCase().match(/../g) ?? []).join(':');
}
