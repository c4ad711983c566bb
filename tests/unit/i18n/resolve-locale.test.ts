import { describe, expect, it } from 'vitest';
import { resolveLocale } from '../../../src-shared/i18n/index.js';

describe('resolveLocale', () => {
  it.each([
    ['sl', 'sl'],
    ['sl-SI', 'sl'],
    ['sl_SI.UTF-8', 'sl'],
    ['sr', 'sr-Cyrl'],
    ['sr-RS', 'sr-Cyrl'],
    ['sr_RS.UTF-8', 'sr-Cyrl'],
    ['sr-Cyrl-RS', 'sr-Cyrl'],
    ['sr-Cyrl', 'sr-Cyrl'],
    ['sr-Latn', 'sr-Latn'],
    ['sr-Latn-RS', 'sr-Latn'],
    ['sr-latn-rs', 'sr-Latn'],
    ['sr_RS@latin', 'sr-Latn'],
    ['sr_RS.UTF-8@latin', 'sr-Latn'],
    ['sr-ME', 'sr-Latn'],
    ['sh', 'sr-Latn'],
    ['en', 'en'],
    ['en-US', 'en'],
    ['de-DE', 'en'],
    ['hr-HR', 'en'],
    ['C', 'en'],
    ['', 'en'],
  ])('%s → %s', (input, expected) => {
    expect(resolveLocale(input)).toBe(expected);
  });

  it('falls back to English when the system gives nothing', () => {
    expect(resolveLocale(undefined)).toBe('en');
    expect(resolveLocale(null)).toBe('en');
  });
});
