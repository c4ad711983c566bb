/** The findings folded per card (named) and per area, repeated notes merged; a group with a problem opens by itself. */
import { useTranslation } from 'react-i18next';
import type { SummaryGroup } from '../../model/diagnostics-summary.js';
import { CheckItem } from './check-item.js';
import { groupName } from './summary-name.js';
import { StatusChip } from './status-chip.js';
import { TokenFacts } from './token-facts.js';

export function CheckGroups({ groups }: { groups: readonly SummaryGroup[] }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="diagnostics-details-heading">
      <h2 id="diagnostics-details-heading" className="check-area">
        {t('helpdesk.details')}
      </h2>
      {groups.map((group) => (
        <details key={group.key} className="check-group" data-testid="diagnostics-group" data-kind={group.kind} data-subject={group.token?.label ?? group.area} open={group.verdict.status === 'error'}>
          <summary>
            <StatusChip status={group.verdict.status} /> <span className="check-group__name">{groupName(t, group)}</span>
          </summary>
          <ul className="check-list">
            {group.checks.map(({ check, count }, index) => (
              <CheckItem key={`${check.verdict}-${check.subject ?? ''}-${index}`} check={check} count={count} />
            ))}
          </ul>
          {group.token?.facts && <TokenFacts token={group.token} facts={group.token.facts} />}
        </details>
      ))}
    </section>
  );
}
