/** The invoice's payment QR code (UPN QR / NBS IPS QR payload from the service), drawn here as SVG. */
import { useMemo } from 'react';
import type { Market } from '../../../../src-shared/contract/protocol/policy.js';
import { paymentQrImage } from '../../model/renewal-payment-qr.js';

export function PaymentQr({ market, payload, alt }: { market: Market; payload: string; alt: string }) {
  const src = useMemo(() => {
    try {
      return paymentQrImage(market, payload);
    } catch {
      // A payload the encoder cannot carry shows no code rather than a wrong one; the PDF invoice still has the details.
      return null;
    }
  }, [market, payload]);
  return src ? <img className="payment-qr" src={src} alt={alt} width={200} height={200} data-testid="payment-qr" /> : null;
}
