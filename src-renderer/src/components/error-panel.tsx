/** An error in the holder's words, the code small (helpdesk staff ask for it), and a way to try again. */
import { useTranslation } from 'react-i18next';
import type { AppError } from '../../../src-shared/contract/index.js';
import { ErrorAlert } from './error-alert.js';

export function ErrorPanel({ error, onRetry }: { error: AppError; onRetry: () => void }) {
  const { t } = useTranslation();
  return (
    <ErrorAlert
      error={error}
      title={t('cards.errorTitle')}
      actions={
        <button type="button" className="button button--primary" onClick={onRetry}>
          {t('cards.retry')}
        </button>
      }
    />
  );
}
