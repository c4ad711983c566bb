import { describe, expect, it } from 'vitest';
import { catalogues } from '../../../src-shared/i18n/index.js';
import { flattenMessages } from './flatten-messages.js';
import { serbianLatinToCyrillic } from './serbian-latin-to-cyrillic.js';

describe('Serbian Cyrillic catalogue', () => {
  const latin = flattenMessages(catalogues['sr-Latn']);
  const cyrillic = flattenMessages(catalogues['sr-Cyrl']);

  it('is the transliteration of the Latin one, message for message', () => {
    for (const [key, message] of latin) expect(cyrillic.get(key), key).toBe(serbianLatinToCyrillic(message));
  });

  it('keeps only placeholders and fixed technical terms in Latin letters', () => {
    for (const [key, message] of cyrillic) {
      const rest = message.replace(/\{\{[^}]+\}\}|\bUSB\b|\bSHA-256\b/g, '');
      expect(rest, key).not.toMatch(/[A-Za-zčćđšžČĆĐŠŽ]/);
    }
  });
});

describe('serbianLatinToCyrillic', () => {
  it('maps digraphs to single letters and keeps case', () => {
    expect(serbianLatinToCyrillic('Ljubljana, Njegoš, džep, DŽEP')).toBe('Љубљана, Његош, џеп, ЏЕП');
  });

  it('leaves placeholders and Latin-only terms alone', () => {
    expect(serbianLatinToCyrillic('USB ključ {{count}} dana, SHA-256 otisak')).toBe('USB кључ {{count}} дана, SHA-256 отисак');
  });
});
