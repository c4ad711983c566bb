/** The Order step's checklist: each row with its status in words and symbol (never colour alone), the reason and what to do instead. */
import { useTranslation } from 'react-i18next';
import type { CheckItem } from '../../../../src-shared/contract/index.js';
import { checkKeys } from '../../model/renewal-certificates.js';

const symbols = { pass: '✓', fail: '✕', unknown: '?' } as const;
const chip = { pass: 'ok', fail: 'error', unknown: 'warning' } as const;

export function Checklist({ checks }: { checks: CheckItem[] }) {
  const { t } = useTranslation();
  return (
    <ul className="checklist" aria-label={t('renewal.checklist')}>
      {checks.map((check) => (
        <li key={check.id} className="checklist__row" data-testid="check-row" data-check={check.id} data-status={check.status} data-code={check.code ?? ''}>
          <span className={`chip chip--${chip[check.status]}`}>
            <span className="chip__symbol" aria-hidden="true">
              {symbols[check.status]}
            </span>
            {t(`renewal.status.${check.status}`)}
          </span>
          <div className="checklist__text">
            <p className="checklist__title">{t(`renewal.checks.${checkKeys[check.id]}`)}</p>
            {check.status !== 'pass' && check.code && <p className="checklist__reason">{t(`errors.${check.code}`, { defaultValue: t('errorFallback') })}</p>}
            {check.status !== 'pass' && check.instead && <p className="checklist__instead">{t(`renewal.instead.${check.instead}`, { defaultValue: '' })}</p>}
          </div>
        </li>
      ))}
    </ul>
  );
}
