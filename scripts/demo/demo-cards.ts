/** The demo's holders and cards: one token each, in the states a helpdesk meets (data, not code). */

export type DemoMarket = 'si' | 'rs';

export interface DemoCard {
  /** Short id used in the summary and by the check. */
  id: 'valid' | 'expiring' | 'expired' | 'revoked' | 'data-changed' | 'legal-rs' | 'renewed-once';
  /** Token label (PKCS#11 labels are at most 32 characters). */
  tokenLabel: string;
  market: DemoMarket;
  /** What the card shows off, in the summary. */
  state: string;
  holder: {
    id: string;
    kind: 'natural' | 'legal';
    givenName: string;
    surname: string;
    personalNumber: string;
    email: string;
    legalName?: string;
    organizationId?: string;
  };
  /** Days from today to the certificate's end (negative: already expired). */
  daysLeft: number;
  /** After issuance: revoke, change the registered surname, or issue a renewal onto the same card. */
  then?: { revoke: string } | { changeSurname: string } | { renewOnCard: true };
  /** The verdict of POST /v1/eligibility the demo expects (checked by `--check`). */
  expect: { eligible: boolean; path: string | null; codes: string[] };
}

export const demoCards: DemoCard[] = [
  {
    id: 'valid',
    tokenLabel: 'Demo valid',
    market: 'si',
    state: 'valid, about 3 years left (renewal opens 60 days before the end)',
    holder: { id: 'DEMO-SI-1', kind: 'natural', givenName: 'Ana', surname: 'Novak', personalNumber: '0101990505006', email: 'ana.novak@example.si' },
    daysLeft: 3 * 365,
    expect: { eligible: false, path: 'existing-media', codes: ['RENEWAL_TOO_EARLY'] },
  },
  {
    id: 'expiring',
    tokenLabel: 'Demo expiring',
    market: 'si',
    state: 'about to expire (20 days left): renewable on this card',
    holder: { id: 'DEMO-SI-2', kind: 'natural', givenName: 'Marko', surname: 'Horvat', personalNumber: '1203985500127', email: 'marko.horvat@example.si' },
    daysLeft: 20,
    expect: { eligible: true, path: 'existing-media', codes: [] },
  },
  {
    id: 'expired',
    tokenLabel: 'Demo expired',
    market: 'si',
    state: 'expired 12 days ago',
    holder: { id: 'DEMO-SI-3', kind: 'natural', givenName: 'Maja', surname: 'Kranjc', personalNumber: '2507979505123', email: 'maja.kranjc@example.si' },
    daysLeft: -12,
    expect: { eligible: false, path: 'original-issuance', codes: ['RENEWAL_CERT_EXPIRED'] },
  },
  {
    id: 'revoked',
    tokenLabel: 'Demo revoked',
    market: 'si',
    state: 'revoked (card reported lost)',
    holder: { id: 'DEMO-SI-4', kind: 'natural', givenName: 'Luka', surname: 'Zupan', personalNumber: '0811992500456', email: 'luka.zupan@example.si' },
    daysLeft: 40,
    then: { revoke: 'keyCompromise' },
    expect: { eligible: false, path: 'original-issuance', codes: ['RENEWAL_CERT_REVOKED'] },
  },
  {
    id: 'data-changed',
    tokenLabel: 'Demo data changed',
    market: 'si',
    state: 'holder data changed (surname Kovač → Kovač Potočnik after issuance)',
    holder: { id: 'DEMO-SI-5', kind: 'natural', givenName: 'Nina', surname: 'Kovač', personalNumber: '1506988505789', email: 'nina.kovac@example.si' },
    daysLeft: 30,
    then: { changeSurname: 'Kovač Potočnik' },
    expect: { eligible: false, path: 'original-issuance', codes: ['RENEWAL_HOLDER_DATA_CHANGED'] },
  },
  {
    id: 'legal-rs',
    tokenLabel: 'Demo legal RS',
    market: 'rs',
    state: 'legal entity in RS (renewal follows the original-issuance procedure)',
    holder: {
      id: 'DEMO-RS-1',
      kind: 'legal',
      givenName: 'Jelena',
      surname: 'Petrović',
      personalNumber: '0101985710123',
      email: 'jelena.petrovic@example.rs',
      legalName: 'Agro Petrović d.o.o.',
      organizationId: '101234567',
    },
    daysLeft: 30,
    expect: { eligible: false, path: 'original-issuance', codes: ['RENEWAL_LEGAL_ENTITY_PROCEDURE'] },
  },
  {
    id: 'renewed-once',
    tokenLabel: 'Demo renewed once',
    market: 'si',
    state: 'already renewed once on this card (45 days left): renewal ships a new card',
    holder: { id: 'DEMO-SI-6', kind: 'natural', givenName: 'Tomaž', surname: 'Kos', personalNumber: '3011975500321', email: 'tomaz.kos@example.si' },
    daysLeft: 45,
    then: { renewOnCard: true },
    expect: { eligible: true, path: 'new-media', codes: [] },
  },
];
