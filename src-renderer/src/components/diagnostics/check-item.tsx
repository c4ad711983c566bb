/** One diagnostics finding: its status, the fix, how often it was seen when repeated, and the verdict code for the helpdesk. */
import { useTranslation } from 'react-i18next';
import type { DiagnosticCheck } from '../../../../src-shared/contract/index.js';
import { StatusChip } from './status-chip.js';

export function CheckItem({ check, count = 1 }: { check: DiagnosticCheck; count?: number }) {
  const { t } = useTranslation();
  return (
    <li className="check" data-testid="diagnostic-check" data-verdict={check.verdict} data-status={check.status} data-count={count}>
      <StatusChip status={check.status} />
      <p className="check__fix">
        {check.fix}
        {count > 1 && <span className="check__repeat"> {t('helpdesk.repeated', { count })}</span>}
        <code className="check__code">{check.verdict}</code>
      </p>
    </li>
  );
}
