/**
 * The bytes and symbol version of the invoice's payment QR: UPN QR (Slovenia) is ISO 8859-2 at version
 * 15, NBS IPS QR (Serbia) is UTF-8 — the same encodings the service prints on the PDF invoice.
 */
import type { Market } from '../../../src-shared/contract/protocol/policy.js';

/** ISO 8859-2 code points of the letters Slovenian and Serbian Latin use beyond ASCII. */
const latin2: Record<string, number> = { Č: 0xc8, č: 0xe8, Ć: 0xc6, ć: 0xe6, Đ: 0xd0, đ: 0xf0, Š: 0xa9, š: 0xb9, Ž: 0xae, ž: 0xbe };

export function paymentQrBytes(market: Market, payload: string): { bytes: Uint8Array; version?: number } {
  if (market === 'rs') return { bytes: new TextEncoder().encode(payload) };
  const bytes = new Uint8Array([...payload].map((ch) => (ch.charCodeAt(0) < 0x80 ? ch.charCodeAt(0) : (latin2[ch] ?? 0x3f))));
  return { bytes, version: 15 };
}
