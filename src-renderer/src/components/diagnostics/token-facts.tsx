/** A card's hardware and firmware versions, memory and raw flags, for the helpdesk (inside the card's details). */
import { useTranslation } from 'react-i18next';
import type { TokenFacts as Facts, TokenReport } from '../../../../src-shared/contract/index.js';

export function TokenFacts({ token, facts }: { token: TokenReport; facts: Facts }) {
  const { t } = useTranslation();
  const memory = (free: number | null, total: number | null): string =>
    free === null && total === null ? t('diagnostics.facts.notReported') : t('diagnostics.facts.memory', { free: free ?? '?', total: total ?? '?' });
  return (
    <dl className="token-facts" data-testid="token-facts" aria-label={t('helpdesk.facts', { label: token.label })}>
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
}
