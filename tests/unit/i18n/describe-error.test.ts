import { describe, expect, it } from 'vitest';
import { errorCodes } from '../../../src-shared/contract/errors.js';
import { describeError, formatDate, supportedLocales } from '../../../src-shared/i18n/index.js';

describe('describeError', () => {
  it('tells a holder what to do, in each language', () => {
    expect(describeError('TOKEN_NOT_PRESENT', 'en')).toBe(
      'No card was found. Insert your card into the reader or plug your USB key into the computer, then try again.',
    );
    expect(describeError('TOKEN_PIN_LOCKED', 'sl')).toContain('kodo PUK');
    expect(describeError('TOKEN_PIN_LOCKED', 'sr-Latn')).toContain('PUK kodom');
    expect(describeError('TOKEN_PIN_LOCKED', 'sr-Cyrl')).toContain('ПУК кодом');
  });

  it('gives a distinct sentence for every code in every locale, never the raw key', () => {
    for (const locale of supportedLocales) {
      const sentences = errorCodes.map((code) => describeError(code, locale));
      for (const [i, sentence] of sentences.entries()) {
        expect(sentence, errorCodes[i]).not.toMatch(/^errors\./);
        expect(sentence.length, errorCodes[i]).toBeGreaterThan(20);
      }
      expect(new Set(sentences).size).toBe(sentences.length);
    }
  });

  it('falls back to a general sentence for a code it does not know', () => {
    expect(describeError('SOMETHING_NEW', 'en')).toMatch(/^Something unexpected happened/);
    expect(describeError('SOMETHING_NEW', 'sr-Cyrl')).toMatch(/^Дошло је до неочекиване грешке/);
  });

  it('accepts details without changing a sentence that does not use them', () => {
    expect(describeError('TOKEN_BUSY', 'en', { slotId: '3' })).toBe(describeError('TOKEN_BUSY', 'en'));
  });
});

describe('formatDate', () => {
  it('writes dates the way each market does', () => {
    const date = '2027-03-05T12:00:00Z';
    expect(formatDate(date, 'sl', 'Europe/Ljubljana')).toBe('5. marec 2027');
    // Without CLDR's closing period, so a sentence ending in a date ends in one full stop, not "2027..".
    expect(formatDate(date, 'sr-Latn', 'Europe/Belgrade')).toBe('5. mart 2027');
    expect(formatDate(date, 'sr-Cyrl', 'Europe/Belgrade')).toBe('5. март 2027');
    expect(formatDate(date, 'en', 'Europe/London')).toBe('5 March 2027');
  });

  it('never leaves two full stops where a sentence ends in a date', () => {
    for (const locale of supportedLocales) expect(`${formatDate('2026-12-24T12:00:00Z', locale, 'Europe/Belgrade')}.`, locale).not.toMatch(/\.\.$/);
  });
});
