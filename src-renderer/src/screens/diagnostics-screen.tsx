/** Diagnostics: every check with its verdict and fix, the raw report for the helpdesk, and the support bundle. */
import { useCallback, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../components/error-alert.js';
import type { AppError, DiagnosticsReport, ObnovaApi } from '../../../src-shared/contract/index.js';
import type { Locale } from '../../../src-shared/i18n/core.js';
import '../components/diagnostics/helpdesk.css';
import { CheckGroups } from '../components/diagnostics/check-groups.js';
import { SupportBundlePanel } from '../components/diagnostics/support-bundle-panel.js';
import { TokenFacts } from '../components/diagnostics/token-facts.js';
import { ScreenHead } from '../components/screen-head.js';

type State = { phase: 'loading' } | { phase: 'ready'; report: DiagnosticsReport; refreshing: boolean } | { phase: 'error'; error: AppError };

export function DiagnosticsScreen({ api, locale }: { api: ObnovaApi; locale: Locale }) {
  const { t } = useTranslation();
  const statusId = useId();
  const [state, setState] = useState<State>({ phase: 'loading' });

  // Only the answer sets state here, so the effect below does not render twice on mount.
  const fetchReport = useCallback(() => {
    void api.runDiagnostics({ locale }).then((result) => {
      setState(result.ok ? { phase: 'ready', report: result.value, refreshing: false } : { phase: 'error', error: result.error });
    });
  }, [api, locale]);

  useEffect(fetchReport, [fetchReport]);

  const run = (): void => {
    setState((previous) => (previous.phase === 'ready' ? { ...previous, refreshing: true } : { phase: 'loading' }));
    fetchReport();
  };

  const busy = state.phase === 'loading' || (state.phase === 'ready' && state.refreshing);
  return (
    <>
      <ScreenHead title={t('diagnostics.heading')} intro={t('diagnostics.intro')}>
        <button type="button" className="button" onClick={run} aria-describedby={statusId} disabled={busy}>
          <span className={busy ? 'button__icon button__icon--spinning' : 'button__icon'} aria-hidden="true">
            ↻
          </span>
          {t('diagnostics.run')}
        </button>
      </ScreenHead>
      <p id={statusId} className="status" role="status" aria-live="polite">
        {busy ? t('diagnostics.running') : ''}
      </p>
      {state.phase === 'error' && (
        <ErrorAlert error={state.error} title={t('diagnostics.failed')} />
      )}
      {state.phase === 'ready' && (
        <>
          <div className={`panel panel--${state.report.overall === 'info' ? 'ok' : state.report.overall}`} data-testid="diagnostics-overall" data-status={state.report.overall}>
            <p className="panel__title">{t(`diagnostics.overall.${state.report.overall}`)}</p>
          </div>
          <CheckGroups checks={state.report.checks} />
          <TokenFacts tokens={state.report.tokens} />
          <details className="section">
            <summary>{t('diagnostics.technical')}</summary>
            <pre className="json-block" data-testid="diagnostics-json">
              {JSON.stringify(state.report, null, 2)}
            </pre>
          </details>
        </>
      )}
      <SupportBundlePanel api={api} />
    </>
  );
}
