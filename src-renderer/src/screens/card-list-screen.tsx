/** The first screen: every connected card with its certificates, kept current as cards come and go. */
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { ObnovaApi } from '../../../src-shared/contract/index.js';
import type { Locale } from '../../../src-shared/i18n/core.js';
import { EmptyState } from '../components/empty-state.js';
import { ErrorPanel } from '../components/error-panel.js';
import { LoadingPanel } from '../components/loading-panel.js';
import { TokenCard } from '../components/token-card.js';
import { useCardList, type CardListState } from '../hooks/use-card-list.js';
import { useReplacedCertificates } from '../hooks/use-replaced-certificates.js';
import { ScreenHead } from '../components/screen-head.js';

function useStatusText(state: CardListState): string {
  const { t } = useTranslation();
  if (state.phase === 'loading') return t('cards.loading');
  if (state.refreshing) return t('cards.refreshing');
  if (state.phase === 'ready') return state.cards.length > 0 ? t('cards.loaded', { count: state.cards.length }) : t('cards.emptyTitle');
  // Errors announce themselves through role="alert".
  return '';
}

export function CardListScreen({ api, locale }: { api: ObnovaApi; locale: Locale }) {
  const { t } = useTranslation();
  const statusId = useId();
  const { state, refresh } = useCardList(api);
  const replaced = useReplacedCertificates(api);
  const status = useStatusText(state);
  const busy = state.phase === 'loading' || state.refreshing;

  return (
    <>
      <ScreenHead title={t('cards.heading')} intro={t('cards.intro')}>
        <button type="button" className="button" onClick={refresh} aria-describedby={statusId}>
          <span className={busy ? 'button__icon button__icon--spinning' : 'button__icon'} aria-hidden="true">
            ↻
          </span>
          {t('cards.refresh')}
        </button>
      </ScreenHead>
      <p id={statusId} className="status" role="status" aria-live="polite">
        {status}
      </p>
      {state.phase === 'loading' && <LoadingPanel />}
      {state.phase === 'error' && <ErrorPanel error={state.error} onRetry={refresh} />}
      {state.phase === 'ready' && state.cards.length === 0 && <EmptyState />}
      {state.phase === 'ready' && state.cards.length > 0 && (
        <div className="token-cards">
          {state.cards.map((card) => (
            <TokenCard key={card.slotId} card={card} locale={locale} now={state.checkedAt} replaced={replaced} />
          ))}
        </div>
      )}
    </>
  );
}
