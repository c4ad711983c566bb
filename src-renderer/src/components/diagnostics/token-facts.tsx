/** "Card details": each token's hardware and firmware versions, memory and raw flags, for the helpdesk. */
import { useTranslation } from 'react-i18next';
import type { DiagnosticsReport } from '../../../../src-shared/contract/index.js';

export function TokenFacts({ tokens }: { tokens: DiagnosticsReport['tokens'] }) {
  const { t } = useTranslation();
  const withFacts = tokens.filter((token) => token.facts);
  if (withFacts.length === 0) return null;
  const memory = (free: number | null, total: number | null): string =>
    free === null && total === null ? t('diagnostics.facts.notReported') : t('diagnostics.facts.memory', { free: free ?? '?', total: total ?? '?' });
  return (
    <section aria-labelledby="token-facts-heading" data-testid="token-facts">
      <h2 id="token-facts-heading" className="check-area">
        {t('diagnostics.facts.heading')}
      </h2>
      {withFacts.map((token) => {
        const facts = token.facts!;
        return (
          <dl key={`${token.modulePath}-${token.slotId}`} className="token-facts" aria-label={`${token.label} (${token.serialNumber})`}>
            <dt>{t('diagnostics.facts.hardware')}</dt>
            <dd>{facts.hardwareVersion}</dd>
            <dt>{t('diagnostics.facts.firmware')}</dt>
            <dd>{facts.firmwareVersion}</dd>
            <dt>{t('diagnostics.facts.publicMemory')}</dt>
            <dd>{memory(facts.freePublicMemory, facts.totalPublicMemory)}</dd>
            <dt>{t('diagnostics.facts.privateMemory')}</dt>
            <dd>{memory(facts.freePrivateMemory, facts.totalPrivateMemory)}</dd>
            <dt>{t('diagnostics.facts.flags')}</dt>
            <dd>
              <code>0x{facts.flags.toString(16).padStart(8, '0')}</code> {facts.flagNames.join(' ')}
            </dd>
          </dl>
        );
      })}
    </section>
  );
}
