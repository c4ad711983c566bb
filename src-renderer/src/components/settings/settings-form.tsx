/** The settings form: edits a draft, saves it through settings.update, restores defaults through settings.reset. */
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { localeSchema, logLevelSchema, type Locale, type LogLevel, type ObnovaApi, type Settings, type SettingsView } from '../../../../src-shared/contract/index.js';
import { localeNames } from '../../../../src-shared/i18n/core.js';

interface Draft {
  language: string;
  deployment: string;
  serviceUrl: string;
  extraModulePaths: string;
  reminderLeadDays: string;
  logLevel: string;
}

function toDraft(settings: Settings): Draft {
  return {
    language: settings.language ?? '',
    deployment: settings.deployment,
    serviceUrl: settings.serviceUrl ?? '',
    extraModulePaths: settings.extraModulePaths.join('\n'),
    reminderLeadDays: String(settings.reminderLeadDays),
    logLevel: settings.logLevel,
  };
}

function fromDraft(draft: Draft): Record<string, unknown> {
  return {
    language: draft.language === '' ? null : draft.language,
    deployment: draft.deployment,
    serviceUrl: draft.serviceUrl.trim() === '' ? null : draft.serviceUrl.trim(),
    extraModulePaths: draft.extraModulePaths
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean),
    reminderLeadDays: Number(draft.reminderLeadDays),
    logLevel: draft.logLevel,
  };
}

type Message = { kind: 'saved' | 'reset' } | { kind: 'invalid'; field: string } | null;

export function SettingsForm({ api, view, onChange }: { api: ObnovaApi; view: SettingsView; onChange: (view: SettingsView, language: Locale | null) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [draft, setDraft] = useState<Draft>(() => toDraft(view.settings));
  const [message, setMessage] = useState<Message>(null);
  const set = (key: keyof Draft) => (event: { target: { value: string } }) => setDraft({ ...draft, [key]: event.target.value });

  const save = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const result = await api.updateSettings(fromDraft(draft) as never);
    if (result.ok) {
      setDraft(toDraft(result.value.settings));
      setMessage({ kind: 'saved' });
      onChange(result.value, result.value.settings.language);
    } else setMessage({ kind: 'invalid', field: String(result.error.details?.field ?? result.error.message) });
  };

  const reset = async (): Promise<void> => {
    const result = await api.resetSettings({});
    if (!result.ok) return;
    setDraft(toDraft(result.value.settings));
    setMessage({ kind: 'reset' });
    onChange(result.value, null);
  };

  const field = (name: keyof Draft) => `${id}-${name}`;
  return (
    <form className="settings-form" onSubmit={(e) => void save(e)} data-testid="settings-form" noValidate>
      <div>
        <label htmlFor={field('language')}>{t('settings.language')}</label>
        <select id={field('language')} value={draft.language} onChange={set('language')}>
          <option value="">{t('settings.languageSystem')}</option>
          {localeSchema.options.map((locale) => (
            <option key={locale} value={locale}>
              {localeNames[locale]}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor={field('deployment')}>{t('settings.deployment')}</label>
        <select id={field('deployment')} value={draft.deployment} onChange={set('deployment')}>
          {view.deployments.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name} — {d.serviceUrl}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor={field('serviceUrl')}>{t('settings.serviceUrl')}</label>
        <input id={field('serviceUrl')} type="url" value={draft.serviceUrl} onChange={set('serviceUrl')} aria-describedby={`${field('serviceUrl')}-hint`} placeholder={view.effectiveServiceUrl ?? ''} />
        <p id={`${field('serviceUrl')}-hint`} className="field-hint">
          {t('settings.serviceUrlHint')}
        </p>
      </div>
      <div>
        <label htmlFor={field('extraModulePaths')}>{t('settings.extraModulePaths')}</label>
        <textarea id={field('extraModulePaths')} value={draft.extraModulePaths} onChange={set('extraModulePaths')} aria-describedby={`${field('extraModulePaths')}-hint`} spellCheck={false} />
        <p id={`${field('extraModulePaths')}-hint`} className="field-hint">
          {t('settings.extraModulePathsHint')}
        </p>
      </div>
      <div>
        <label htmlFor={field('reminderLeadDays')}>{t('settings.reminderLeadDays')}</label>
        <input id={field('reminderLeadDays')} type="number" min={1} max={365} value={draft.reminderLeadDays} onChange={set('reminderLeadDays')} />
      </div>
      <div>
        <label htmlFor={field('logLevel')}>{t('settings.logLevel')}</label>
        <select id={field('logLevel')} value={draft.logLevel} onChange={set('logLevel')}>
          {logLevelSchema.options.map((level: LogLevel) => (
            <option key={level} value={level}>
              {t(`settings.logLevels.${level}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="form-actions">
        <button type="submit" className="button button--primary">
          {t('settings.save')}
        </button>
        <button type="button" className="button" onClick={() => void reset()}>
          {t('settings.reset')}
        </button>
      </div>
      <p className="status" role="status" aria-live="polite" data-testid="settings-message">
        {message?.kind === 'saved' && t('settings.saved')}
        {message?.kind === 'reset' && t('settings.resetDone')}
      </p>
      {message?.kind === 'invalid' && (
        <p className="notice notice--error" role="alert" data-testid="settings-error">
          {t('settings.invalid', { field: message.field })}
        </p>
      )}
      <p className="field-hint">{t('settings.storedIn', { path: view.path })}</p>
    </form>
  );
}
