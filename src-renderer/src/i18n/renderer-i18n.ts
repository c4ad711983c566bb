/** The renderer's i18next instance: the shared catalogues plus react-i18next, started in the best locale known at load. */
import { initReactI18next } from 'react-i18next';
import { createI18n, resolveLocale, type Locale } from '../../../src-shared/i18n/index.js';
import { readStoredLocale } from './locale-preference.js';

/** Before getAppInfo answers: the stored choice, else the browser's language. */
export const initialLocale: Locale = readStoredLocale() ?? resolveLocale(navigator.language);

export const i18n = createI18n(initialLocale, [initReactI18next]);
