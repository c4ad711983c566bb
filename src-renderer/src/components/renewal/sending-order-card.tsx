/**
 * An order signed on the card that the renewal service has not answered yet (the app's outbox): shown in My
 * orders so it is never "no orders", with when it was signed, how the last try ended, and Send now.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ObnovaApi, OutgoingOrder } from '../../../../src-shared/contract/index.js';
import { formatDateTime, type Locale } from '../../../../src-shared/i18n/core.js';

export function SendingOrderCard({ api, entry, locale, onChanged }: { api: ObnovaApi; entry: OutgoingOrder; locale: Locale; onChanged: () => void }) {
  const { t } = useTranslation();
  const [sending, setSending] = useState(false);
  const sendNow = (): void => {
    setSending(true);
    void api.resendOrder({ id: entry.id }).finally(() => {
      setSending(false);
      onChanged();
    });
  };
  return (
    <article className="token-card" data-testid="order-sending" data-id={entry.id} aria-busy={sending}>
      <h2 className="token-card__label">{t('renewalSending.heading')}</h2>
      <p>{entry.certificate.commonName}</p>
      <p>{t('renewalSending.text', { time: formatDateTime(entry.signedAt, locale) })}</p>
      {entry.lastError && entry.lastTriedAt && (
        <p className="notice notice--warning" data-testid="order-sending-last" data-code={entry.lastError}>
          {t('renewalSending.lastTry', { time: formatDateTime(entry.lastTriedAt, locale) })} {t(`errors.${entry.lastError}`, { defaultValue: t('errorFallback') })}
        </p>
      )}
      <button type="button" className="button" onClick={sendNow} disabled={sending} data-testid="order-send-now">
        {t('renewalSending.sendNow')}
      </button>
    </article>
  );
}
