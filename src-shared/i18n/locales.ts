/** The locales Obnova speaks, their BCP 47 tags for Intl, and their names in their own language. */
import { localeSchema, type Locale } from '../contract/schemas/app.js';

export type { Locale };

/** Every supported locale; `en` is the reference catalogue and the fallback. */
export const supportedLocales: readonly Locale[] = localeSchema.options;

export const fallbackLocale: Locale = 'en';

/** Region-qualified tags for Intl formatting: Slovenia and Serbia are the markets, en-GB gives day-month-year dates. */
export const intlTags: Readonly<Record<Locale, string>> = {
  sl: 'sl-SI',
  'sr-Latn': 'sr-Latn-RS',
  'sr-Cyrl': 'sr-Cyrl-RS',
  en: 'en-GB',
};

/** Language names as their speakers write them (autonyms), so a picker is readable whatever is selected. */
export const localeNames: Readonly<Record<Locale, string>> = {
  sl: 'Slovenščina',
  'sr-Latn': 'Srpski (latinica)',
  'sr-Cyrl': 'Српски (ћирилица)',
  en: 'English',
};

/** True when a string names a supported locale exactly (e.g. a value read back from storage). */
export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (supportedLocales as readonly string[]).includes(value);
}
