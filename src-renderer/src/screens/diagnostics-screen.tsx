/**
 * Diagnostics for the helpdesk: the support bundle first, then one verdict per card and per area with its fix,
 * then the findings folded per named card and area, then the raw report. Progress shows while the checks run.
 */
import { useCallback, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../components/error-alert.js';
import type { AppError, DiagnosticsReport, ObnovaApi } from '../../../src-shared/contract/index.js';
import type { Locale } from '../../../src-shared/i18n/core.js';
import '../components/diagnostics/helpdesk.css';
import { CheckGroups } from '../components/diagnostics/check-groups.js';
import { DiagnosticsSummary } from '../components/diagnostics/diagnostics-summary.js';
import { SupportBundlePanel } from '../components/diagnostics/support-bundle-panel.js';
import { ScreenHead } from '../components/screen-head.js';
import { useElapsedSeconds } from '../hooks/use-elapsed-seconds.js';
import { summarizeDiagnostics } from '../model/diagnostics-summary.js';

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
  const seconds = useElapsedSeconds(busy);
  const groups = state.phase === 'ready' ? summarizeDiagnostics(state.report) : [];
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
      <SupportBundlePanel api={api} />
      <div className="diagnostics-progress" data-testid="diagnostics-progress" data-busy={busy}>
        <p id={statusId} className="status" role="status" aria-live="polite">
          {busy ? t('diagnostics.running') : ''}
        </p>
        {busy && (
          <>
            <progress className="diagnostics-progress__bar" aria-labelledby={statusId} />
            <span className="diagnostics-progress__time" aria-hidden="true">
              {t('helpdesk.elapsed', { seconds })}
            </span>
          </>
        )}
      </div>
      {state.phase === 'error' && <ErrorAlert error={state.error} title={t('diagnostics.failed')} />}
      {state.phase === 'ready' && (
        <>
          <div className={`panel panel--${state.report.overall === 'info' ? 'ok' : state.report.overall}`} data-testid="diagnostics-overall" data-status={state.report.overall}>
            <p className="panel__title">{t(`diagnostics.overall.${state.report.overall}`)}</p>
          </div>
          <DiagnosticsSummary groups={groups} />
          <CheckGroups groups={groups} />
          <details className="section">
            <summary>{t('diagnostics.technical')}</summary>
            <pre className="json-block" data-testid="diagnostics-json">
              {JSON.stringify(state.report, null, 2)}
            </pre>
          </details>
        </>
      )}
    </>
  );
}
