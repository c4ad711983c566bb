/** The support bundle: first the exact files that go in (with their contents), then saving them as one zip. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppError, BundlePreview, BundleResult, ObnovaApi } from '../../../../src-shared/contract/index.js';

type State = { phase: 'idle' } | { phase: 'busy' } | { phase: 'preview'; preview: BundlePreview; saved?: BundleResult } | { phase: 'error'; error: AppError };

export function SupportBundlePanel({ api }: { api: ObnovaApi }) {
  const { t } = useTranslation();
  const [state, setState] = useState<State>({ phase: 'idle' });

  const showPreview = async (): Promise<void> => {
    setState({ phase: 'busy' });
    const result = await api.previewSupportBundle({});
    setState(result.ok ? { phase: 'preview', preview: result.value } : { phase: 'error', error: result.error });
  };

  const save = async (preview: BundlePreview): Promise<void> => {
    const result = await api.createSupportBundle({ previewId: preview.id });
    setState(result.ok ? { phase: 'preview', preview, saved: result.value } : { phase: 'error', error: result.error });
  };

  return (
    <section className="section" aria-labelledby="support-heading" data-testid="support-bundle">
      <h2 id="support-heading">{t('support.heading')}</h2>
      <p>{t('support.intro')}</p>
      <div className="form-actions">
        <button type="button" className="button" onClick={() => void showPreview()} disabled={state.phase === 'busy'}>
          {t('support.preview')}
        </button>
        {state.phase === 'preview' && (
          <button type="button" className="button button--primary" onClick={() => void save(state.preview)}>
            {t('support.create')}
          </button>
        )}
      </div>
      {state.phase === 'error' && (
        <p className="notice notice--error" role="alert">
          {t(`errors.${state.error.code}`, { defaultValue: t('errorFallback') })}
        </p>
      )}
      {state.phase === 'preview' && (
        <ul className="bundle-files" data-testid="bundle-files">
          {state.preview.files.map((file) => (
            <li key={file.name} className="bundle-file" data-testid="bundle-file">
              <details>
                <summary>
                  <code>{file.name}</code> — {file.description} ({t('support.size', { size: file.sizeBytes })})
                </summary>
                <pre>{file.content}</pre>
              </details>
            </li>
          ))}
        </ul>
      )}
      {state.phase === 'preview' && state.saved && (
        <p className="status" role="status" data-testid="bundle-saved">
          {t('support.saved', { path: state.saved.path })}
        </p>
      )}
    </section>
  );
}
