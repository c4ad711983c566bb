/** The payment QR of an invoice as PNG: UPN QR (ISO 8859-2, version 15, level M) or NBS IPS QR (UTF-8, level M). */
import QRCode from 'qrcode';
import type { Policy } from '../../../src-shared/contract/protocol/policy.js';
import { toLatin2 } from './upn-qr.js';

/** PNG bytes of the QR code for `payload` in the market's format. */
export async function paymentQrPng(policy: Pick<Policy, 'paymentQr'>, payload: string): Promise<Buffer> {
  const upn = policy.paymentQr === 'upn-qr';
  const data = upn ? toLatin2(payload) : Buffer.from(payload, 'utf8');
  return QRCode.toBuffer([{ data, mode: 'byte' }], {
    type: 'png',
    errorCorrectionLevel: 'M',
    // UPN QR fixes version 15 so every printed invoice has the same symbol size.
    ...(upn ? { version: 15 } : {}),
    margin: 4,
    scale: 4,
  });
}
