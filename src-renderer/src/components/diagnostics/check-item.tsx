/** One diagnostics finding: its status in words and symbol (never colour alone), the fix, the verdict code. */
import { useTranslation } from 'react-i18next';
import type { DiagnosticCheck } from '../../../../src-shared/contract/index.js';

const symbols = { ok: '✓', info: 'i', warning: '!', error: '✕' } as const;

export function CheckItem({ check }: { check: DiagnosticCheck }) {
  const { t } = useTranslation();
  return (
    <li className="check" data-testid="diagnostic-check" data-verdict={check.verdict} data-status={check.status}>
      <span className={`chip chip--${check.status}`}>
        <span className="chip__symbol" aria-hidden="true">
          {symbols[check.status]}
        </span>
        {t(`diagnostics.status.${check.status}`)}
      </span>
      <p className="check__fix">
        {check.fix}
        <code className="check__code">{check.verdict}</code>
      </p>
    </li>
  );
}
