/** A finding's status in words and symbol (never colour alone). */
import { useTranslation } from 'react-i18next';
import type { CheckStatus } from '../../../../src-shared/contract/index.js';

const symbols = { ok: '✓', info: 'i', warning: '!', error: '✕' } as const;

export function StatusChip({ status }: { status: CheckStatus }) {
  const { t } = useTranslation();
  return (
    <span className={`chip chip--${status}`}>
      <span className="chip__symbol" aria-hidden="true">
        {symbols[status]}
      </span>
      {t(`diagnostics.status.${status}`)}
    </span>
  );
}
