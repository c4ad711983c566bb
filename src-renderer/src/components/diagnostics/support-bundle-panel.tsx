/**
 * The support bundle, at the top of Diagnostics: save it in one click (the saved message and the path to copy
 * right under the button), and look at exactly what goes in, folded, before or after.
 */
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppError, BundlePreview, BundleResult, ObnovaApi } from '../../../../src-shared/contract/index.js';
import { SavedPath } from './saved-path.js';

/** `asked`: the holder asked to see what goes in, so the list is open; saved straight away, it stays folded. */
type State = { phase: 'idle' } | { phase: 'busy' } | { phase: 'preview'; preview: BundlePreview; asked: boolean; saved?: BundleResult } | { phase: 'error'; error: AppError };

export function SupportBundlePanel({ api }: { api: ObnovaApi }) {
  const { t } = useTranslation();
  const headingId = useId();
  const [state, setState] = useState<State>({ phase: 'idle' });

  const preview = async (asked: boolean): Promise<BundlePreview | null> => {
    setState({ phase: 'busy' });
    const result = await api.previewSupportBundle({});
    setState(result.ok ? { phase: 'preview', preview: result.value, asked } : { phase: 'error', error: result.error });
    return result.ok ? result.value : null;
  };

  const save = async (): Promise<void> => {
    const asked = state.phase === 'preview' && state.asked;
    const shown = state.phase === 'preview' ? state.preview : await preview(false);
    if (!shown) return;
    setState({ phase: 'busy' });
    const result = await api.createSupportBundle({ previewId: shown.id });
    setState(result.ok ? { phase: 'preview', preview: shown, asked, saved: result.value } : { phase: 'error', error: result.error });
  };

  return (
    <section className="section support-bundle" aria-labelledby={headingId} data-testid="support-bundle">
      <h2 id={headingId}>{t('support.heading')}</h2>
      <p>{t('support.intro')}</p>
      <div className="form-actions">
        <button type="button" className="button button--primary" onClick={() => void save()} disabled={state.phase === 'busy'} data-testid="bundle-save">
          {state.phase === 'busy' ? t('support.creating') : t('support.create')}
        </button>
        {state.phase !== 'preview' && (
          <button type="button" className="button" onClick={() => void preview(true)} disabled={state.phase === 'busy'}>
            {t('support.preview')}
          </button>
        )}
      </div>
      {state.phase === 'preview' && state.saved && <SavedPath path={state.saved.path} />}
      {state.phase === 'error' && (
        <p className="notice notice--error" role="alert">
          {t(`errors.${state.error.code}`, { defaultValue: t('errorFallback') })}
        </p>
      )}
      {state.phase === 'preview' && (
        <details className="bundle-contents" open={state.asked}>
          <summary>{t('helpdesk.bundleContents', { count: state.preview.files.length })}</summary>
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
        </details>
      )}
    </section>
  );
}
