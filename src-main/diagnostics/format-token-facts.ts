/** The "Card details" block of `obnova diagnose` text output: versions, memory and raw flags of each token. */
import type { DiagnosticsReport } from '../../src-shared/contract/schemas/diagnostics.js';
import type { Locale } from '../../src-shared/contract/schemas/app.js';
import { sharedI18n } from '../../src-shared/i18n/index.js';

/** Lines for every token with facts (none when no token reported them). */
export function formatTokenFacts(report: DiagnosticsReport, locale: Locale): string[] {
  const t = sharedI18n().getFixedT(locale);
  const withFacts = report.tokens.filter((token) => token.facts);
  if (withFacts.length === 0) return [];
  const memory = (free: number | null, total: number | null): string =>
    free === null && total === null ? t('diagnostics.facts.notReported') : t('diagnostics.facts.memory', { free: free ?? '?', total: total ?? '?' });
  const lines = [`${t('diagnostics.facts.heading')}:`];
  for (const token of withFacts) {
    const facts = token.facts!;
    lines.push(
      `  ${token.label} (${token.serialNumber}), slot ${token.slotId}:`,
      `    ${t('diagnostics.facts.hardware')}: ${facts.hardwareVersion}`,
      `    ${t('diagnostics.facts.firmware')}: ${facts.firmwareVersion}`,
      `    ${t('diagnostics.facts.publicMemory')}: ${memory(facts.freePublicMemory, facts.totalPublicMemory)}`,
      `    ${t('diagnostics.facts.privateMemory')}: ${memory(facts.freePrivateMemory, facts.totalPrivateMemory)}`,
      `    ${t('diagnostics.facts.flags')}: 0x${facts.flags.toString(16).padStart(8, '0')} ${facts.flagNames.join(' ')}`,
    );
  }
  return lines;
}
