import { describe, expect, it } from 'vitest';
import type { CertificateSummary, TokenInfo, UnreadableCertificate } from '../../../src-shared/contract/index.js';
import { buildCardViews, compareSlotIds, holderName, issuerName } from '../../../src-renderer/src/model/card-view.js';
import { colonHex } from '../../../src-renderer/src/model/hex-format.js';

const pin = { countLow: false, finalTry: false, locked: false, toBeChanged: false, soLocked: false, protectedAuthenticationPath: false, minLength: 4, maxLength: 8 };
const token = (slotId: string, label: string): TokenInfo => ({
  slotId, label, slotDescription: 'reader', manufacturer: 'SoftHSM project', model: 'SoftHSM v2', serialNumber: `sn-${slotId}`, pin,
});

let next = 0;
function certificate(slotId: string, overrides: Partial<CertificateSummary>): CertificateSummary {
  next++;
  return {
    slotId, tokenLabel: `token ${slotId}`, tokenSerial: `sn-${slotId}`, objectLabel: `cert ${next}`, objectId: next.toString(16).padStart(2, '0'),
    readable: true, subject: `CN=Holder ${next}`, subjectCommonName: `Holder ${next}`, issuer: 'CN=Test CA', issuerCommonName: 'Test CA',
    serialNumber: '0a1b', notBefore: '2026-01-01T00:00:00.000Z', notAfter: '2027-01-01T00:00:00.000Z',
    fingerprintSha256: 'ab'.repeat(32), keyAlgorithm: { name: 'RSA', size: 2048, curve: null },
    hasPrivateKey: true, privateKeyEvidence: 'private-key-object', qualified: true, isCertificateAuthority: false,
    ...overrides,
  };
}
const unreadable = (slotId: string, objectLabel: string): UnreadableCertificate => ({
  slotId, tokenLabel: `token ${slotId}`, tokenSerial: `sn-${slotId}`, objectLabel, objectId: 'ff', readable: false,
  problem: { code: 'CERT_PARSE_FAILED', message: 'not DER' },
});

describe('buildCardViews', () => {
  it('puts each certificate and notice under its token, tokens in slot order (as numbers, beyond 2^53)', () => {
    const a = certificate('1786687241', {});
    const b = certificate('9007199254740993', {});
    const views = buildCardViews([token('9007199254740993', 'big'), token('1786687241', 'small'), token('5', 'empty')], {
      certificates: [b, a],
      notices: [{ code: 'TOKEN_NO_CERTIFICATES', slotId: '5', tokenLabel: 'empty' }],
    });
    expect(views.map((v) => v.label)).toEqual(['empty', 'small', 'big']);
    expect(views[0]?.notices).toHaveLength(1);
    expect(views[1]?.certificates).toEqual([a]);
    expect(views[2]?.certificates).toEqual([b]);
  });

  it('orders the holder’s own certificates first, newest expiry first; CA and unreadable entries last', () => {
    const ca = certificate('1', { isCertificateAuthority: true, hasPrivateKey: false, notAfter: '2040-01-01T00:00:00.000Z' });
    const older = certificate('1', { notAfter: '2026-12-01T00:00:00.000Z' });
    const newer = certificate('1', { notAfter: '2028-12-01T00:00:00.000Z' });
    const noKey = certificate('1', { hasPrivateKey: false, notAfter: '2030-01-01T00:00:00.000Z' });
    const broken = unreadable('1', 'broken');
    const [view] = buildCardViews([token('1', 'card')], { certificates: [broken, ca, older, noKey, newer], notices: [] });
    expect(view?.certificates).toEqual([newer, older, noKey, ca, broken]);
  });

  it('keeps a certificate whose token appeared after tokens.list answered', () => {
    const late = certificate('7', {});
    const views = buildCardViews([], { certificates: [late], notices: [] });
    expect(views).toHaveLength(1);
    expect(views[0]).toMatchObject({ slotId: '7', label: 'token 7', serialNumber: 'sn-7', info: undefined });
  });
});

describe('names and numbers', () => {
  it('falls back to the whole DN when there is no common name', () => {
    expect(holderName({ subjectCommonName: null, subject: 'O=Firma d.o.o., C=SI' })).toBe('O=Firma d.o.o., C=SI');
    expect(issuerName({ issuerCommonName: 'Test CA', issuer: 'CN=Test CA' })).toBe('Test CA');
  });

  it('groups hex by bytes with colons, in upper case', () => {
    expect(colonHex('0a1b2c')).toBe('0A:1B:2C');
    expect(colonHex('a1b2c')).toBe('0A:1B:2C');
    expect(colonHex('')).toBe('');
  });

  it('compares slot IDs numerically', () => {
    expect(compareSlotIds('10', '9')).toBeGreaterThan(0);
    expect(compareSlotIds('9007199254740993', '9007199254740992')).toBeGreaterThan(0);
    expect(compareSlotIds('3', '3')).toBe(0);
  });
});
