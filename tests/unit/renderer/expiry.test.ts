import { describe, expect, it } from 'vitest';
import { dayMs, expiryMessage, expirySeverity, expiryState, wholeDays } from '../../../src-renderer/src/model/expiry.js';

const now = new Date('2026-11-25T12:00:00Z');
const at = (offsetMs: number): string => new Date(now.getTime() + offsetMs).toISOString();
const validity = (fromOffset: number, untilOffset: number) => ({ notBefore: at(fromOffset), notAfter: at(untilOffset) });

describe('expiryState', () => {
  it('is valid with 60 or more whole days left', () => {
    expect(expiryState(validity(-300 * dayMs, 60 * dayMs), now)).toEqual({ kind: 'valid', days: 60 });
    expect(expiryState(validity(-300 * dayMs, 700 * dayMs), now)).toEqual({ kind: 'valid', days: 700 });
  });

  it('warns under 60 days, counting whole days down', () => {
    expect(expiryState(validity(-300 * dayMs, 60 * dayMs - 1), now)).toEqual({ kind: 'expiring', days: 59 });
    expect(expiryState(validity(-300 * dayMs, 40 * dayMs - 5000), now)).toEqual({ kind: 'expiring', days: 39 });
    expect(expiryState(validity(-300 * dayMs, 3 * 3_600_000), now)).toEqual({ kind: 'expiring', days: 0 });
  });

  it('counts notAfter itself as still valid (RFC 5280 validity is inclusive)', () => {
    expect(expiryState(validity(-dayMs, 0), now)).toEqual({ kind: 'expiring', days: 0 });
    expect(expiryState(validity(-dayMs, -1), now)).toEqual({ kind: 'expired', days: 0 });
  });

  it('says how many whole days ago it expired', () => {
    expect(expiryState(validity(-400 * dayMs, -12 * dayMs - 1000), now)).toEqual({ kind: 'expired', days: 12 });
  });

  it('is not yet valid before notBefore', () => {
    expect(expiryState(validity(2 * dayMs + 10, 700 * dayMs), now)).toEqual({ kind: 'not-yet-valid', days: 2 });
  });
});

describe('wholeDays', () => {
  it('rounds down and ignores the sign', () => {
    expect(wholeDays(dayMs - 1)).toBe(0);
    expect(wholeDays(dayMs)).toBe(1);
    expect(wholeDays(-2.5 * dayMs)).toBe(2);
  });
});

describe('expiry presentation', () => {
  it('maps each state to a severity', () => {
    expect(expirySeverity({ kind: 'valid', days: 100 })).toBe('ok');
    expect(expirySeverity({ kind: 'expiring', days: 10 })).toBe('warning');
    expect(expirySeverity({ kind: 'expired', days: 1 })).toBe('error');
    expect(expirySeverity({ kind: 'not-yet-valid', days: 1 })).toBe('info');
  });

  it('picks the catalogue key and plural count, with own sentences for less than a day', () => {
    expect(expiryMessage({ kind: 'valid', days: 100 })).toEqual({ key: 'certificate.state.valid' });
    expect(expiryMessage({ kind: 'expiring', days: 39 })).toEqual({ key: 'certificate.state.expiresIn', count: 39 });
    expect(expiryMessage({ kind: 'expiring', days: 0 })).toEqual({ key: 'certificate.state.expiresToday' });
    expect(expiryMessage({ kind: 'expired', days: 3 })).toEqual({ key: 'certificate.state.expiredAgo', count: 3 });
    expect(expiryMessage({ kind: 'expired', days: 0 })).toEqual({ key: 'certificate.state.expiredToday' });
    expect(expiryMessage({ kind: 'not-yet-valid', days: 5 })).toEqual({ key: 'certificate.state.notYetValid' });
  });

  it('reads correctly in every language once translated', async () => {
    const { createI18n } = await import('../../../src-shared/i18n/index.js');
    const words = (locale: 'en' | 'sl' | 'sr-Latn' | 'sr-Cyrl', days: number) => {
      const m = expiryMessage({ kind: 'expiring', days });
      return createI18n(locale).t(m.key, { count: m.count });
    };
    expect(words('en', 40)).toBe('Expires in 40 days');
    expect(words('en', 1)).toBe('Expires in 1 day');
    expect(words('sl', 2)).toBe('Poteče čez 2 dneva');
    expect(words('sl', 3)).toBe('Poteče čez 3 dni');
    expect(words('sl', 101)).toBe('Poteče čez 101 dan');
    expect(words('sr-Latn', 21)).toBe('Ističe za 21 dan');
    expect(words('sr-Latn', 22)).toBe('Ističe za 22 dana');
    expect(words('sr-Cyrl', 5)).toBe('Истиче за 5 дана');
  });
});
