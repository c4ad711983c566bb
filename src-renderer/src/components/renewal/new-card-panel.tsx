/** New-card path: check the inserted cards for the order's new certificate, again whenever a card comes or goes. */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../error-alert.js';
import type { AppError, NewCardView, ObnovaApi } from '../../../../src-shared/contract/index.js';

type Phase = { phase: 'idle' } | { phase: 'checking' } | { phase: 'done'; view: NewCardView } | { phase: 'error'; error: AppError };

export function NewCardPanel({ api, orderId, onChanged }: { api: ObnovaApi; orderId: string; onChanged: () => void }) {
  const { t } = useTranslation();
  const [state, setState] = useState<Phase>({ phase: 'idle' });

  const check = useCallback((): void => {
    setState({ phase: 'checking' });
    void api.completeNewCard({ orderId }).then((r) => {
      setState(r.ok ? { phase: 'done', view: r.value } : { phase: 'error', error: r.error });
      if (r.ok && r.value.status === 'completed') onChanged();
    });
  }, [api, orderId, onChanged]);

  useEffect(() => api.onTokensChanged(() => check()), [api, check]);

  const message =
    state.phase === 'checking'
      ? t('renewalNewCard.checking')
      : state.phase === 'done'
        ? !state.view.found
          ? t('renewalNewCard.notFound')
          : state.view.status === 'completed'
            ? t('renewalNewCard.completed')
            : t('renewalNewCard.waitingDelivery')
        : '';
  return (
    <section className="receive-panel" data-testid="new-card-panel">
      <button type="button" className="button button--primary" onClick={check} disabled={state.phase === 'checking'} data-testid="new-card-check">
        {t('renewalNewCard.check')}
      </button>
      <p className="status" role="status" aria-live="polite" data-testid="new-card-status" data-found={state.phase === 'done' ? state.view.found : undefined}>
        {message}
      </p>
      {state.phase === 'error' && (
        <ErrorAlert error={state.error} />
      )}
    </section>
  );
}
