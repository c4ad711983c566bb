/** PEM armour (RFC 7468): DER in, text out, and back with the label checked. */
import { ObnovaError } from '../contract/errors.js';
import { fromBase64, toBase64 } from './encoding.js';

/** Labels this project writes and reads. */
export type PemLabel = 'CERTIFICATE' | 'CERTIFICATE REQUEST' | 'PKCS7' | 'CMS' | 'X509 CRL' | 'PRIVATE KEY' | 'PUBLIC KEY';

/** One PEM block, base64 wrapped at 64 columns (RFC 7468 §2). */
export function toPem(der: Uint8Array, label: PemLabel): string {
  const lines = toBase64(der).match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

const blockPattern = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/** Every PEM block in `text` (optionally only those with `label`), as DER. */
export function fromPemAll(text: string, label?: PemLabel): { label: string; der: Uint8Array }[] {
  const out: { label: string; der: Uint8Array }[] = [];
  for (const match of text.matchAll(blockPattern)) {
    const found = match[1] ?? '';
    if (label && found !== label) continue;
    try {
      out.push({ label: found, der: fromBase64(match[2] ?? '') });
    } catch (cause) {
      throw new ObnovaError('PKI_PEM_INVALID', `PEM block ${found} is not base64`, undefined, { cause });
    }
  }
  return out;
}

/** The single PEM block with `label`; PKI_PEM_INVALID if none. */
export function fromPem(text: string, label: PemLabel): Uint8Array {
  const first = fromPemAll(text, label)[0];
  if (!first) throw new ObnovaError('PKI_PEM_INVALID', `no PEM block labelled ${label}`);
  return first.der;
}

/** Accepts DER bytes or PEM text in bytes (what a user may drop in), returns DER. */
export function derFromPemOrDer(input: Uint8Array, label: PemLabel): Uint8Array {
  const head = new TextDecoder('latin1').decode(input.subarray(0, 64));
  if (head.trimStart().startsWith('-----BEGIN')) return fromPem(new TextDecoder('latin1').decode(input), label);
  return input;
}
