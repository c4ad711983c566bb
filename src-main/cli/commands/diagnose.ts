/**
 * `obnova diagnose [--json] [--offline] [--bundle FILE]`: the Diagnostics screen in a terminal, for
 * helpdesk staff. Text lists each check with its verdict and fix; --json prints the report as the contract has it.
 */
import type { DiagnosticsReport, Locale, Result } from '../../../src-shared/contract/index.js';
import { sharedI18n } from '../../../src-shared/i18n/index.js';
import type { MainServices } from '../../app/main-services.js';
import { dispatchCall } from '../../ipc/dispatch.js';
import { collectBundleFiles, writeBundle } from '../../support/support-bundle.js';
import { formatTokenFacts } from '../../diagnostics/format-token-facts.js';

/** Exit codes of `diagnose`: 0 nothing wrong, 4 at least one check found a problem (warnings still exit 0). */
export const diagnoseExitCodes = { ok: 0, problemFound: 4 } as const;

export interface DiagnoseOptions {
  json: boolean;
  offline: boolean;
  bundle?: string | undefined;
  locale: Locale;
  /** The app data folder the services use (for the logs and journal that go into a bundle). */
  appDataDir: string;
}

const marks: Record<DiagnosticsReport['overall'], string> = { ok: 'ok  ', info: 'info', warning: 'WARN', error: 'FAIL' };

/** The report as text: one line per check ("FAIL Cards  TOKEN_PIN_LOCKED — fix"), grouped by area. */
export function formatDiagnostics(report: DiagnosticsReport, locale: Locale): string {
  const t = sharedI18n().getFixedT(locale);
  const lines = [`Obnova ${report.app.version} — ${report.os.platform} ${report.os.release} (${report.os.arch}), Node ${report.os.node}`, ''];
  let area = '';
  for (const check of report.checks) {
    if (check.area !== area) {
      area = check.area;
      lines.push(`${t(`diagnostics.area.${area}`)}:`);
    }
    lines.push(`  [${marks[check.status]}] ${check.fix}${check.status === 'ok' || check.status === 'info' ? '' : ` (${check.verdict})`}`);
  }
  const facts = formatTokenFacts(report, locale);
  if (facts.length > 0) lines.push('', ...facts);
  lines.push('', t(`diagnostics.overall.${report.overall}`));
  return lines.join('\n');
}

/** Runs the diagnostics (and writes a support bundle when asked); returns the exit code. */
export async function runDiagnose(
  services: MainServices,
  options: DiagnoseOptions,
  io: { out(text: string): void; err(text: string): void },
): Promise<{ code: number; error?: Extract<Result<unknown>, { ok: false }> }> {
  const result = (await dispatchCall(services.handlers, 'diagnostics.run', { locale: options.locale, skipService: options.offline })) as Result<DiagnosticsReport>;
  if (!result.ok) return { code: 3, error: result };
  const report = result.value;
  io.out(options.json ? JSON.stringify(report, null, 2) : formatDiagnostics(report, options.locale));
  if (options.bundle !== undefined) {
    // The same report that was just printed goes into the bundle, not a second run.
    const files = collectBundleFiles({ appDataDir: options.appDataDir, report });
    const written = writeBundle(files, { appDataDir: options.appDataDir, outPath: options.bundle });
    io.err(`obnova: support bundle written to ${written.path} (${written.sizeBytes} bytes: ${written.files.join(', ')})`);
  }
  return { code: report.overall === 'error' ? diagnoseExitCodes.problemFound : diagnoseExitCodes.ok };
}
