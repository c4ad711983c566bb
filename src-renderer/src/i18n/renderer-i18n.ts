/**
 * The renderer's i18next instance with react-i18next, started in the best locale known at load. Each
 * catalogue is its own chunk, loaded when its language is first shown: the first paint carries one.
 */
import { initReactI18next } from 'react-i18next';
import { createI18nWith, defaultNamespace, resolveLocale, type Locale, type MessageTree } from '../../../src-shared/i18n/core.js';
import { readStoredLocale } from './locale-preference.js';

/** Before getAppInfo answers: the stored choice, else the browser's language. */
export const initialLocale: Locale = readStoredLocale() ?? resolveLocale(navigator.language);

export const i18n = createI18nWith(initialLocale, {}, [initReactI18next]);

const catalogueLoaders: Record<Locale, () => Promise<MessageTree>> = {
  sl: () => import('../../../src-shared/i18n/messages/sl.js').then((m) => m.sl),
  'sr-Latn': () => import('../../../src-shared/i18n/messages/sr-latn.js').then((m) => m.srLatn),
  'sr-Cyrl': () => import('../../../src-shared/i18n/messages/sr-cyrl.js').then((m) => m.srCyrl),
  en: () => import('../../../src-shared/i18n/messages/en.js').then((m) => m.en),
};

/** Adds the locale's catalogue to the instance once; call before showing or switching to it. */
export async function loadCatalogue(locale: Locale): Promise<void> {
  if (i18n.hasResourceBundle(locale, defaultNamespace)) return;
  i18n.addResourceBundle(locale, defaultNamespace, await catalogueLoaders[locale]());
}
