/** The first screenful for the helpdesk: one line per card and per area — its status, its name, what to do. */
import { useTranslation } from 'react-i18next';
import type { SummaryGroup } from '../../model/diagnostics-summary.js';
import { groupName } from './summary-name.js';
import { StatusChip } from './status-chip.js';

export function DiagnosticsSummary({ groups }: { groups: readonly SummaryGroup[] }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="diagnostics-summary-heading" data-testid="diagnostics-summary">
      <h2 id="diagnostics-summary-heading" className="check-area">
        {t('helpdesk.summary')}
      </h2>
      <ul className="summary-list">
        {groups.map((group) => (
          <li key={group.key} className="summary-row" data-testid="diagnostics-summary-row" data-kind={group.kind} data-subject={group.token?.label ?? group.area} data-status={group.verdict.status} data-verdict={group.verdict.verdict}>
            <StatusChip status={group.verdict.status} />
            <span className="summary-row__name">{groupName(t, group)}</span>
            <span className="summary-row__fix">{group.verdict.fix}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
