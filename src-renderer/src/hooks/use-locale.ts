/**
 * The active locale, with the Settings store as its one source of truth: at start the saved language
 * (else the system's from getAppInfo, else the browser's); the header picker and the Settings screen
 * both save through settings.update. localStorage only caches the saved language for the first paint.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ObnovaApi } from '../../../src-shared/contract/index.js';
import { resolveLocale, type Locale } from '../../../src-shared/i18n/core.js';
import { applyDocumentLocale, storeLocale } from '../i18n/locale-preference.js';
import { i18n, initialLocale, loadCatalogue } from '../i18n/renderer-i18n.js';

export function useLocale(api: ObnovaApi): { locale: Locale; chooseLocale: (locale: Locale | null) => void } {
  const [locale, setLocale] = useState<Locale>(initialLocale);
  const systemLocale = useRef<Locale | null>(null);
  // A choice made before the start-up answers arrive wins over them.
  const chosen = useRef(false);

  useEffect(() => {
    let cancelled = false;
    void Promise.all([api.getSettings({}), api.getAppInfo({})]).then(([settings, info]) => {
      if (cancelled) return;
      systemLocale.current = info.ok ? info.value.systemLocale : resolveLocale(navigator.language);
      if (chosen.current) return;
      // Settings unreadable: keep what the cache said at first paint.
      if (!settings.ok) return;
      const saved = settings.value.settings.language;
      storeLocale(saved);
      setLocale(saved ?? systemLocale.current);
    });
    return () => {
      cancelled = true;
    };
  }, [api]);

  useEffect(() => {
    // Catalogues load at their own pace: only the latest choice may switch, or a slow earlier one lands last.
    let latest = true;
    void loadCatalogue(locale).then(async () => {
      if (!latest) return;
      await i18n.changeLanguage(locale);
      if (latest) applyDocumentLocale(locale, i18n.t('app.name'));
    });
    return () => {
      latest = false;
    };
  }, [locale]);

  /** A language chosen in the header or in Settings; null follows the system. Saved in Settings (idempotent when Settings already saved it). */
  const chooseLocale = useCallback(
    (next: Locale | null) => {
      chosen.current = true;
      storeLocale(next);
      // Switch once it is saved, so a screen that reads Settings on the switch (Settings) sees the new value.
      const apply = (): void => setLocale(next ?? systemLocale.current ?? resolveLocale(navigator.language));
      void api.updateSettings({ language: next }).then(apply, apply);
    },
    [api],
  );

  return { locale, chooseLocale };
}
