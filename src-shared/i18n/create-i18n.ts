/** i18next instances over the bundled catalogues; no React, no DOM, so main, CLI and renderer share it. */
import i18next, { type i18n, type InitOptions, type Module } from 'i18next';
import { fallbackLocale, supportedLocales, type Locale } from './locales.js';
import { defaultNamespace, resources } from './resources.js';

/** Options every Obnova i18next instance uses: bundled resources, synchronous init, CLDR plurals. */
export function i18nOptions(locale: Locale): InitOptions {
  return {
    lng: locale,
    fallbackLng: fallbackLocale,
    supportedLngs: [...supportedLocales],
    // 'sr-Latn' must not fall back to a plain 'sr' catalogue we do not have.
    load: 'currentOnly',
    ns: [defaultNamespace],
    defaultNS: defaultNamespace,
    resources,
    // Everything is bundled, so init can finish before the first render or CLI line.
    initAsync: false,
    // React escapes on render and the CLI prints plain text; escaping here would double it.
    interpolation: { escapeValue: false },
    returnNull: false,
  };
}

/** A new, initialised instance; pass plugins such as react-i18next's initReactI18next. */
export function createI18n(locale: Locale, plugins: readonly Module[] = []): i18n {
  const instance = i18next.createInstance();
  for (const plugin of plugins) instance.use(plugin);
  void instance.init(i18nOptions(locale));
  return instance;
}

let shared: i18n | undefined;

/** One lazily created instance for plain-function callers (describeError, the CLI). */
export function sharedI18n(): i18n {
  shared ??= createI18n(fallbackLocale);
  return shared;
}
