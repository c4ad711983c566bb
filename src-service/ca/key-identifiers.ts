/** Key identifiers and fingerprints of SubjectPublicKeyInfo values. */
import { createHash } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import type { BufferSource } from '../hsm/webcrypto-types.js';

/** RFC 5280 §4.2.1.2 method (1): SHA-1 of the subjectPublicKey BIT STRING contents, as hex. */
export function keyIdentifier(spkiDer: BufferSource): string {
  const spki = AsnConvert.parse(spkiDer, SubjectPublicKeyInfo);
  return createHash('sha1').update(new Uint8Array(spki.subjectPublicKey)).digest('hex');
}

/** SHA-256 of the whole DER SPKI, hex: how the registry recognises "the same key again". */
export function spkiFingerprint(spkiDer: BufferSource): string {
  const bytes = spkiDer instanceof ArrayBuffer ? new Uint8Array(spkiDer) : new Uint8Array(spkiDer.buffer, spkiDer.byteOffset, spkiDer.byteLength);
  return createHash('sha256').update(bytes).digest('hex');
}
