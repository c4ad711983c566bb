/** The invoice's payment QR code (UPN QR / NBS IPS QR payload from the service), drawn here as SVG. */
import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import type { Market } from '../../../../src-shared/contract/protocol/policy.js';
import { paymentQrBytes } from '../../model/renewal-payment-qr.js';

export function PaymentQr({ market, payload, alt }: { market: Market; payload: string; alt: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    // Error correction M, as UPN QR and NBS IPS QR specify; byte mode with the market's encoding.
    const { bytes, version } = paymentQrBytes(market, payload);
    void QRCode.toString([{ data: bytes, mode: 'byte' }], { type: 'svg', errorCorrectionLevel: 'M', margin: 2, ...(version ? { version } : {}) }).then((svg) => {
      if (live) setSrc(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`);
    });
    return () => {
      live = false;
    };
  }, [market, payload]);
  return src ? <img className="payment-qr" src={src} alt={alt} width={200} height={200} data-testid="payment-qr" /> : null;
}
