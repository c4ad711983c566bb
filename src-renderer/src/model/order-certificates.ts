/**
 * What the present cards say about an order: the card it is for (by the card's serial), the new certificate
 * once it is on a card (by serial), and which certificates a completed renewal replaced.
 */
import type { CertificateSummary, StoredOrder } from '../../../src-shared/contract/index.js';
import type { CardView } from './card-view.js';

/** Serials compared as numbers written in hex: case and leading zeros do not matter. */
export function sameSerial(a: string, b: string): boolean {
  const norm = (s: string): string => s.toLowerCase().replace(/^0+(?=.)/, '');
  return norm(a) === norm(b);
}

export function cardOfOrder(order: StoredOrder, cards: readonly CardView[]): CardView | null {
  const serial = order.certificate.tokenSerial;
  return (serial && cards.find((c) => c.serialNumber === serial)) || cards.find((c) => c.slotId === order.certificate.slotId && c.certificates.some((e) => e.readable && e.fingerprintSha256 === order.certificate.fingerprintSha256)) || null;
}

export function newCertificateOfOrder(order: StoredOrder, cards: readonly CardView[]): CertificateSummary | null {
  const serial = order.newCertificateSerial;
  if (!serial) return null;
  for (const card of cards) for (const entry of card.certificates) if (entry.readable && sameSerial(entry.serialNumber, serial)) return entry;
  return null;
}

/** Fingerprints of certificates a completed renewal replaced: these no longer warn about expiry. */
export function replacedFingerprints(orders: readonly StoredOrder[]): ReadonlySet<string> {
  return new Set(orders.filter((o) => o.status === 'completed').map((o) => o.certificate.fingerprintSha256));
}
