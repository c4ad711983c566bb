/**
 * The payment QR drawn on the invoice page as vector modules, so its printed size is exact:
 * UPN QR modules are 0,42333 mm = 1,2 pt and the 77-module symbol 32,597 mm (ZBS guide §3, §3.5).
 */
import type { PDFPage } from 'pdf-lib';
import { rgb } from 'pdf-lib';
import type { Policy } from '../../../src-shared/contract/protocol/policy.js';
import { paymentQrSymbol, type PaymentQrSymbol } from '../../../src-shared/payment-qr/qr-symbol.js';

/** Module size in points per market: UPN QR's is prescribed; IPS QR's keeps a bill's code about 4 cm wide. */
export function qrModulePoints(policy: Pick<Policy, 'paymentQr'>): number {
  return policy.paymentQr === 'upn-qr' ? 1.2 : 2;
}

/** The market's payment QR symbol for `payload`. */
export function invoiceQrSymbol(policy: Pick<Policy, 'paymentQr'>, payload: string): PaymentQrSymbol {
  return paymentQrSymbol(policy.paymentQr, payload);
}

/** Draws the symbol with its top-left module at (x, top); returns the side length in points. */
export function drawPaymentQr(page: PDFPage, symbol: PaymentQrSymbol, x: number, top: number, modulePoints: number): number {
  const runs: string[] = [];
  for (let row = 0; row < symbol.size; row++) {
    let col = 0;
    while (col < symbol.size) {
      if (!symbol.dark(col, row)) {
        col++;
        continue;
      }
      const start = col;
      while (col < symbol.size && symbol.dark(col, row)) col++;
      runs.push(`M${start} ${row}h${col - start}v1h${start - col}z`);
    }
  }
  // One path in module units, scaled; drawSvgPath measures y downwards from `top`.
  page.drawSvgPath(runs.join(''), { x, y: top, scale: modulePoints, color: rgb(0, 0, 0), borderWidth: 0 });
  return symbol.size * modulePoints;
}
