/** Tokens and the certificate list joined into what the card list shows, in a stable, useful order. */
import type { CertificateEntry, CertificateList, CertificateSummary, Notice, TokenInfo } from '../../../src-shared/contract/index.js';

export interface CardView {
  slotId: string;
  label: string;
  serialNumber: string;
  /** Absent when a certificate names a token that tokens.list did not (it appeared between the two calls). */
  info: TokenInfo | undefined;
  certificates: CertificateEntry[];
  notices: Notice[];
}

/** Slot IDs are decimal strings that may exceed 2^53 (SoftHSM uses large ones): compare as BigInt. */
export function compareSlotIds(a: string, b: string): number {
  if (!/^\d+$/.test(a) || !/^\d+$/.test(b)) return a.localeCompare(b);
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function rank(entry: CertificateEntry): number {
  if (!entry.readable) return 3;
  if (entry.isCertificateAuthority) return 2;
  return entry.hasPrivateKey ? 0 : 1;
}

/**
 * The holder's own certificates first (a key on the card, not a CA), newest expiry first; then other
 * end-entity certificates, then CA certificates, then entries that could not be read.
 */
export function compareCertificates(a: CertificateEntry, b: CertificateEntry): number {
  const byRank = rank(a) - rank(b);
  if (byRank !== 0) return byRank;
  if (a.readable && b.readable) {
    const byExpiry = Date.parse(b.notAfter) - Date.parse(a.notAfter);
    if (byExpiry !== 0) return byExpiry;
    return holderName(a).localeCompare(holderName(b));
  }
  return a.objectLabel.localeCompare(b.objectLabel) || a.objectId.localeCompare(b.objectId);
}

/** The name to show for the holder: the subject's common name, else the whole subject DN. */
export function holderName(certificate: Pick<CertificateSummary, 'subjectCommonName' | 'subject'>): string {
  return certificate.subjectCommonName ?? certificate.subject;
}

/** The issuer's common name, else its whole DN. */
export function issuerName(certificate: Pick<CertificateSummary, 'issuerCommonName' | 'issuer'>): string {
  return certificate.issuerCommonName ?? certificate.issuer;
}

/** One CardView per token, ordered by slot, each with its certificates sorted and its notices. */
export function buildCardViews(tokens: readonly TokenInfo[], list: CertificateList): CardView[] {
  const cards = new Map<string, CardView>();
  const cardFor = (slotId: string, label: string, serialNumber: string, info?: TokenInfo): CardView => {
    let card = cards.get(slotId);
    if (!card) {
      card = { slotId, label, serialNumber, info, certificates: [], notices: [] };
      cards.set(slotId, card);
    }
    return card;
  };
  for (const token of tokens) cardFor(token.slotId, token.label, token.serialNumber, token);
  for (const entry of list.certificates) cardFor(entry.slotId, entry.tokenLabel, entry.tokenSerial).certificates.push(entry);
  for (const notice of list.notices) cardFor(notice.slotId, notice.tokenLabel, '').notices.push(notice);
  const views = [...cards.values()].sort((a, b) => compareSlotIds(a.slotId, b.slotId));
  for (const view of views) view.certificates.sort(compareCertificates);
  return views;
}
