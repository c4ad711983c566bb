/**
 * The invoice's payment QR in the window: the same symbol the service prints on the PDF invoice
 * (src-shared/payment-qr) — UPN QR with ECI 4 (ISO 8859-2) at version 15, NBS IPS QR in UTF-8, level M.
 */
import type { Market } from '../../../src-shared/contract/protocol/policy.js';
import { paymentQrSvg, paymentQrSymbol, type PaymentQrSymbol } from '../../../src-shared/payment-qr/qr-symbol.js';

export function paymentQrOf(market: Market, payload: string): PaymentQrSymbol {
  return paymentQrSymbol(market === 'si' ? 'upn-qr' : 'nbs-ips-qr', payload);
}

/** An `<img>` source for the symbol (SVG, quiet zone of two modules). */
export function paymentQrImage(market: Market, payload: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(paymentQrSvg(paymentQrOf(market, payload), 2))}`;
}
