/**
 * A cache of the language saved in Settings (the source of truth), kept in localStorage so the first paint is
 * already in that language; reflected in <html lang> for screen readers and hyphenation.
 */
import { isLocale, type Locale } from '../../../src-shared/i18n/core.js';

const storageKey = 'obnova.locale';

/** The saved language as last seen, or null (none saved: the system's applies). */
export function readStoredLocale(): Locale | null {
  try {
    const value = window.localStorage.getItem(storageKey);
    return isLocale(value) ? value : null;
  } catch {
    return null;
  }
}

/** Caches the saved language; null (follow the system) clears the cache. */
export function storeLocale(locale: Locale | null): void {
  try {
    if (locale === null) window.localStorage.removeItem(storageKey);
    else window.localStorage.setItem(storageKey, locale);
  } catch {
    // Without storage the choice lasts for this page only, which is acceptable.
  }
}

/** `sl`, `sr-Latn`, `sr-Cyrl`, `en` are valid BCP 47 language tags as they are. */
export function applyDocumentLocale(locale: Locale, title: string): void {
  document.documentElement.lang = locale;
  document.title = title;
}
