/** Network trouble in words: which service call waits, until when, which attempt comes next, and a way to stop. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ObnovaApi, ServiceWaitView } from '../../../../src-shared/contract/index.js';
import { formatDateTime, type Locale } from '../../../../src-shared/i18n/core.js';

export function ServiceWaitBanner({ api, locale }: { api: ObnovaApi; locale: Locale }) {
  const { t } = useTranslation();
  const [wait, setWait] = useState<ServiceWaitView | null>(null);

  useEffect(() => api.onRenewalWaiting((w) => setWait(w)), [api]);
  // The banner goes once the next attempt has had a moment to answer; a new wait brings it back.
  useEffect(() => {
    if (!wait) return;
    const timer = setTimeout(() => setWait(null), Math.max(0, Date.parse(wait.retryAt) - Date.now()) + 1500);
    return () => clearTimeout(timer);
  }, [wait]);

  if (!wait) return null;
  return (
    <div className="notice notice--warning" role="status" aria-live="polite" data-testid="service-wait" data-operation={wait.operation} data-reason={wait.reason}>
      <strong>{t('renewalWait.heading')}</strong>
      <p>{t('renewalWait.what', { operation: t(`renewalWait.operation.${wait.operation}`, { defaultValue: wait.operation }) })}</p>
      <p>{t(`errors.${wait.reason}`, { defaultValue: t('errorFallback') })}</p>
      <p>{t('renewalWait.next', { attempt: wait.nextAttempt, max: wait.maxAttempts, time: formatDateTime(wait.retryAt, locale) })}</p>
      <button
        type="button"
        className="button"
        data-testid="service-wait-cancel"
        onClick={() => {
          setWait(null);
          void api.cancelRenewalCalls({});
        }}
      >
        {t('renewalWait.cancel')}
      </button>
    </div>
  );
}
