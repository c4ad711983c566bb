/** The holder's language choice: kept in localStorage, reflected in <html lang> for screen readers and hyphenation. */
import { isLocale, type Locale } from '../../../src-shared/i18n/index.js';

const storageKey = 'obnova.locale';

/** The locale the holder picked earlier, or null if they never did (then the system's applies). */
export function readStoredLocale(): Locale | null {
  try {
    const value = window.localStorage.getItem(storageKey);
    return isLocale(value) ? value : null;
  } catch {
    return null;
  }
}

/** Remembers an explicit choice. */
export function storeLocale(locale: Locale): void {
  try {
    window.localStorage.setItem(storageKey, locale);
  } catch {
    // Without storage the choice lasts for this page only, which is acceptable.
  }
}

/** `sl`, `sr-Latn`, `sr-Cyrl`, `en` are valid BCP 47 language tags as they are. */
export function applyDocumentLocale(locale: Locale, title: string): void {
  document.documentElement.lang = locale;
  document.title = title;
}
