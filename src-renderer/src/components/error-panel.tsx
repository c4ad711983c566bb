/** An error in the holder's words, the code small (helpdesk staff ask for it), and a way to try again. */
import { useTranslation } from 'react-i18next';
import type { AppError } from '../../../src-shared/contract/index.js';

export function ErrorPanel({ error, onRetry }: { error: AppError; onRetry: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="panel panel--error" role="alert">
      <h2 className="panel__title">{t('cards.errorTitle')}</h2>
      <p>{t(`errors.${error.code}`, { defaultValue: t('errorFallback') })}</p>
      <p className="error-code">{t('cards.errorCode', { code: error.code })}</p>
      <button type="button" className="button button--primary" onClick={onRetry}>
        {t('cards.retry')}
      </button>
    </div>
  );
}
