/** The active locale: the holder's stored choice, else the system locale from getAppInfo, else the browser's. */
import { useCallback, useEffect, useState } from 'react';
import type { ObnovaApi } from '../../../src-shared/contract/index.js';
import type { Locale } from '../../../src-shared/i18n/index.js';
import { applyDocumentLocale, readStoredLocale, storeLocale } from '../i18n/locale-preference.js';
import { i18n, initialLocale } from '../i18n/renderer-i18n.js';

export function useLocale(api: ObnovaApi): { locale: Locale; chooseLocale: (locale: Locale) => void } {
  const [locale, setLocale] = useState<Locale>(initialLocale);

  useEffect(() => {
    if (readStoredLocale()) return;
    let cancelled = false;
    void api.getAppInfo({}).then((result) => {
      if (!cancelled && result.ok && !readStoredLocale()) setLocale(result.value.systemLocale);
    });
    return () => {
      cancelled = true;
    };
  }, [api]);

  useEffect(() => {
    void i18n.changeLanguage(locale).then(() => applyDocumentLocale(locale, i18n.t('app.name')));
  }, [locale]);

  const chooseLocale = useCallback((next: Locale) => {
    storeLocale(next);
    setLocale(next);
  }, []);

  return { locale, chooseLocale };
}
