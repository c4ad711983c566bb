/** Settings: language, country/service, extra card software paths, reminder lead time, log detail. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppError, Locale, ObnovaApi, SettingsView } from '../../../src-shared/contract/index.js';
import '../components/diagnostics/helpdesk.css';
import { SettingsForm } from '../components/settings/settings-form.js';
import { ScreenHead } from '../components/screen-head.js';

type State = { phase: 'loading' } | { phase: 'ready'; view: SettingsView; revision: number } | { phase: 'error'; error: AppError };

/** `onLanguage` gets the saved language (null: follow the system) so the whole app shows it. */
export function SettingsScreen({ api, onLanguage }: { api: ObnovaApi; onLanguage: (locale: Locale | null) => void }) {
  const { t, i18n } = useTranslation();
  const [state, setState] = useState<State>({ phase: 'loading' });
  const language = i18n.language;

  // Read again when the language changes (the header picker saves it too), so the form never shows a stale choice.
  useEffect(() => {
    let cancelled = false;
    void api.getSettings({}).then((result) => {
      if (cancelled) return;
      if (!result.ok) return setState({ phase: 'error', error: result.error });
      setState((previous) => {
        // The same saved language as shown: keep the form (and what it says) as it is.
        if (previous.phase === 'ready' && previous.view.settings.language === result.value.settings.language) return previous;
        return { phase: 'ready', view: result.value, revision: previous.phase === 'ready' ? previous.revision + 1 : 0 };
      });
    });
    return () => {
      cancelled = true;
    };
  }, [api, language]);

  return (
    <>
      <ScreenHead title={t('settings.heading')} intro={t('settings.intro')} />
      {state.phase === 'error' && (
        <p className="notice notice--error" role="alert">
          {t(`errors.${state.error.code}`, { defaultValue: t('errorFallback') })}
        </p>
      )}
      {state.phase === 'ready' && (
        <SettingsForm
          key={state.revision}
          api={api}
          view={state.view}
          onChange={(view, saved) => {
            const languageChanged = saved !== state.view.settings.language;
            setState({ phase: 'ready', view, revision: state.revision });
            if (languageChanged) onLanguage(saved);
          }}
        />
      )}
    </>
  );
}
