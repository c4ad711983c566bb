/** Settings: language, country/service, extra card software paths, reminder lead time, log detail. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppError, Locale, ObnovaApi, SettingsView } from '../../../src-shared/contract/index.js';
import '../components/diagnostics/helpdesk.css';
import { SettingsForm } from '../components/settings/settings-form.js';

type State = { phase: 'loading' } | { phase: 'ready'; view: SettingsView } | { phase: 'error'; error: AppError };

export function SettingsScreen({ api, onLanguage }: { api: ObnovaApi; onLanguage: (locale: Locale) => void }) {
  const { t } = useTranslation();
  const [state, setState] = useState<State>({ phase: 'loading' });

  useEffect(() => {
    let cancelled = false;
    void api.getSettings({}).then((result) => {
      if (!cancelled) setState(result.ok ? { phase: 'ready', view: result.value } : { phase: 'error', error: result.error });
    });
    return () => {
      cancelled = true;
    };
  }, [api]);

  return (
    <>
      <div className="screen-head">
        <div>
          <h1 className="screen-head__title">{t('settings.heading')}</h1>
          <p className="screen-head__intro">{t('settings.intro')}</p>
        </div>
      </div>
      {state.phase === 'error' && (
        <p className="notice notice--error" role="alert">
          {t(`errors.${state.error.code}`, { defaultValue: t('errorFallback') })}
        </p>
      )}
      {state.phase === 'ready' && (
        <SettingsForm
          api={api}
          view={state.view}
          onChange={(view, language) => {
            setState({ phase: 'ready', view });
            if (language) onLanguage(language);
          }}
        />
      )}
    </>
  );
}
