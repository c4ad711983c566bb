/** Which certificates the renewal and export screens offer, and which one is preselected. */
import type { CertificateEntry, CertificateSummary, CheckId } from '../../../src-shared/contract/index.js';

/** Holder certificates (readable, not a CA certificate), soonest to expire first: the one most likely meant. */
export function renewableCertificates(entries: readonly CertificateEntry[]): CertificateSummary[] {
  return entries
    .filter((c): c is CertificateSummary => c.readable && !c.isCertificateAuthority)
    .sort((a, b) => a.notAfter.localeCompare(b.notAfter));
}

/** A stable key for a certificate on a card (the same CKA_ID may appear on two cards). */
export function certificateKey(c: Pick<CertificateSummary, 'slotId' | 'objectId' | 'fingerprintSha256'>): string {
  return `${c.slotId}:${c.objectId}:${c.fingerprintSha256}`;
}

/** The preselection: keep the current choice while it is still there, else the first offered. */
export function preselect(options: CertificateSummary[], current: string | null): string | null {
  if (current && options.some((c) => certificateKey(c) === current)) return current;
  const first = options[0];
  return first ? certificateKey(first) : null;
}

/** i18n key fragment of a checklist row. */
export const checkKeys: Record<CheckId, string> = {
  valid: 'valid',
  'issued-by-ca': 'issuedByCa',
  'not-expired': 'notExpired',
  'not-revoked': 'notRevoked',
  'data-unchanged': 'dataUnchanged',
  'online-renewal': 'onlineRenewal',
  'renewal-window': 'renewalWindow',
};

/** Minor units as money in the holder's locale, e.g. "49,90 €". */
export function formatMoney(minor: number, currency: string, intlTag: string): string {
  return new Intl.NumberFormat(intlTag, { style: 'currency', currency }).format(minor / 100);
}
