import { describe, expect, it } from 'vitest';
import { errorCodes } from '../../../src-shared/contract/errors.js';
import { catalogues, intlTags, supportedLocales } from '../../../src-shared/i18n/index.js';
import { flattenMessages, placeholders, splitPlural } from './flatten-messages.js';

const reference = flattenMessages(catalogues.en);

/** Base keys (plural suffix removed) → the plural categories present, for one catalogue. */
function shape(messages: Map<string, string>): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const key of messages.keys()) {
    const { base, category } = splitPlural(key);
    const set = out.get(base) ?? new Set<string>();
    if (category) set.add(category);
    out.set(base, set);
  }
  return out;
}

const referenceShape = shape(reference);

describe.each(supportedLocales.map((locale) => [locale]))('catalogue %s', (locale) => {
  const messages = flattenMessages(catalogues[locale]);
  const localeShape = shape(messages);
  const pluralCategories = new Intl.PluralRules(intlTags[locale]).resolvedOptions().pluralCategories;

  it('has exactly the keys of en, apart from plural forms', () => {
    expect([...localeShape.keys()].sort()).toEqual([...referenceShape.keys()].sort());
  });

  it('has every CLDR plural form of the language for each plural key, and no others', () => {
    for (const [base, categories] of referenceShape) {
      if (categories.size === 0) continue;
      expect([...(localeShape.get(base) ?? [])].sort(), base).toEqual([...pluralCategories].sort());
    }
  });

  it('has no empty or untrimmed message', () => {
    for (const [key, message] of messages) {
      expect(message.trim(), key).not.toBe('');
      expect(message, key).toBe(message.trim());
    }
  });

  it('uses the same placeholders as en', () => {
    for (const [key, message] of messages) {
      const { base, category } = splitPlural(key);
      const englishKey = category ? `${base}_other` : key;
      expect(placeholders(message), key).toEqual(placeholders(reference.get(englishKey) ?? ''));
    }
  });

  it('describes every contract error code, and no code the contract does not have', () => {
    for (const code of errorCodes) expect(messages.get(`errors.${code}`), code).toBeTruthy();
    const described = [...messages.keys()].filter((k) => k.startsWith('errors.')).map((k) => k.slice('errors.'.length));
    expect(described.sort()).toEqual([...errorCodes].sort());
  });
});
