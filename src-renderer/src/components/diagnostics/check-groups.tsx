/** The findings grouped by area, in the order the report gives them (computer, readers, software, cards, …). */
import { useTranslation } from 'react-i18next';
import type { DiagnosticCheck } from '../../../../src-shared/contract/index.js';
import { CheckItem } from './check-item.js';

export function CheckGroups({ checks }: { checks: readonly DiagnosticCheck[] }) {
  const { t } = useTranslation();
  const areas = [...new Set(checks.map((c) => c.area))];
  return (
    <>
      {areas.map((area) => (
        <section key={area} aria-labelledby={`area-${area}`}>
          <h2 id={`area-${area}`} className="check-area">
            {t(`diagnostics.area.${area}`)}
          </h2>
          <ul className="check-list">
            {checks
              .filter((c) => c.area === area)
              .map((check, index) => (
                <CheckItem key={`${check.verdict}-${check.subject ?? ''}-${index}`} check={check} />
              ))}
          </ul>
        </section>
      ))}
    </>
  );
}
