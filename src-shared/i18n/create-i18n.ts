/** i18next instances over every bundled catalogue; no React, no DOM, so main and CLI share it. */
import type { i18n, InitOptions, Module } from 'i18next';
import { createI18nWith, i18nOptionsWith } from './i18n-options.js';
import { fallbackLocale, type Locale } from './locales.js';
import { resources } from './resources.js';

/** Options every Obnova i18next instance uses, with all catalogues. */
export function i18nOptions(locale: Locale): InitOptions {
  return i18nOptionsWith(locale, resources);
}

/** A new, initialised instance with all catalogues; pass plugins such as react-i18next's initReactI18next. */
export function createI18n(locale: Locale, plugins: readonly Module[] = []): i18n {
  return createI18nWith(locale, resources, plugins);
}

let shared: i18n | undefined;

/** One lazily created instance for plain-function callers (describeError, the CLI). */
export function sharedI18n(): i18n {
  shared ??= createI18n(fallbackLocale);
  return shared;
}
