/** The validity state in words with a symbol, so it never depends on colour alone. */
import { useTranslation } from 'react-i18next';
import { expiryMessage, expirySeverity, type ExpiryState } from '../model/expiry.js';

const symbols = { ok: '✓', warning: '!', error: '✕', info: 'i' } as const;

export function ExpiryChip({ state }: { state: ExpiryState }) {
  const { t } = useTranslation();
  const severity = expirySeverity(state);
  const message = expiryMessage(state);
  const text = message.count === undefined ? t(message.key) : t(message.key, { count: message.count });
  return (
    <span className={`chip chip--${severity}`}>
      <span className="chip__symbol" aria-hidden="true">
        {symbols[severity]}
      </span>
      {text}
    </span>
  );
}
