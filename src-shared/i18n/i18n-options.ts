/**
 * i18next options and instances over catalogues the caller supplies, importing no catalogue itself: the
 * renderer loads only the language on screen (the others are separate chunks), main and CLI bundle all.
 */
import i18next, { type i18n, type InitOptions, type Module, type Resource } from 'i18next';
import { fallbackLocale, supportedLocales, type Locale } from './locales.js';
import { defaultNamespace } from './namespace.js';

/** Options every Obnova i18next instance uses: the given resources, synchronous init, CLDR plurals. */
export function i18nOptionsWith(locale: Locale, resources: Resource): InitOptions {
  return {
    lng: locale,
    fallbackLng: fallbackLocale,
    supportedLngs: [...supportedLocales],
    // 'sr-Latn' must not fall back to a plain 'sr' catalogue we do not have.
    load: 'currentOnly',
    ns: [defaultNamespace],
    defaultNS: defaultNamespace,
    resources,
    // The catalogues are in memory, so init can finish before the first render or CLI line.
    initAsync: false,
    // React escapes on render and the CLI prints plain text; escaping here would double it.
    interpolation: { escapeValue: false },
    returnNull: false,
  };
}

/** A new, initialised instance over `resources`; pass plugins such as react-i18next's initReactI18next. */
export function createI18nWith(locale: Locale, resources: Resource, plugins: readonly Module[] = []): i18n {
  const instance = i18next.createInstance();
  for (const plugin of plugins) instance.use(plugin);
  void instance.init(i18nOptionsWith(locale, resources));
  return instance;
}
