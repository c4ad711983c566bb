/**
 * The payment QR symbol, one encoder for the invoice PDF and the app's window:
 * - UPN QR (ZBS programmer's guide §3): one byte segment preceded by ECI 000004 (ISO 8859-2),
 *   version 15 (77 × 77 modules), error correction M.
 * - NBS IPS QR: one byte segment of UTF-8 bytes, error correction M, smallest version that fits. The
 *   text declares its own set (tag C:1 = UTF-8); no ECI is written, as on the invoices banks read so far.
 * `qrcode` 1.5 cannot write an ECI designator; @nuintun/qrcode's segment API can (its Byte segment
 * with a charset other than ISO 8859-1 writes the charset's ECI first), and takes our own bytes.
 */
import { Byte, Charset, Encoder } from '@nuintun/qrcode';
import { toLatin2 } from './latin2.js';

export type PaymentQrKind = 'upn-qr' | 'nbs-ips-qr';

export interface PaymentQrSymbol {
  /** Modules per side. */
  size: number;
  version: number;
  level: 'L' | 'M' | 'Q' | 'H';
  /** True for a dark module (x to the right, y down). */
  dark(x: number, y: number): boolean;
}

/** UPN QR's fixed version (ZBS guide §3.1). */
export const upnQrVersion = 15;

/** Encodes the payload as the market's payment QR. */
export function paymentQrSymbol(kind: PaymentQrKind, payload: string): PaymentQrSymbol {
  const upn = kind === 'upn-qr';
  // The segment's charset decides the ECI: ISO 8859-2 writes 000004; ISO 8859-1, the default, writes none.
  const charset = upn ? Charset.ISO_8859_2 : Charset.ISO_8859_1;
  const encoder = new Encoder({
    level: 'M',
    ...(upn ? { version: upnQrVersion } : {}),
    encode: (content: string, used: Charset) => {
      if (used !== charset) throw new Error('payment QR segment with an unexpected charset');
      return upn ? toLatin2(content) : new TextEncoder().encode(content);
    },
  });
  // One segment only (ZBS guide §5.3: never split fields into segments of their own).
  const encoded = encoder.encode(new Byte(payload, charset));
  return { size: encoded.size, version: encoded.version, level: encoded.level, dark: (x, y) => encoded.get(x, y) === 1 };
}

/** The symbol as an SVG document (one path, quiet zone of `margin` modules), for the app's window. */
export function paymentQrSvg(symbol: PaymentQrSymbol, margin = 4): string {
  const parts: string[] = [];
  for (let y = 0; y < symbol.size; y++) {
    for (let x = 0; x < symbol.size; x++) if (symbol.dark(x, y)) parts.push(`M${x + margin} ${y + margin}h1v1h-1z`);
  }
  const side = symbol.size + 2 * margin;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${side} ${side}" shape-rendering="crispEdges"><rect width="${side}" height="${side}" fill="#fff"/><path fill="#000" d="${parts.join('')}"/></svg>`;
}
