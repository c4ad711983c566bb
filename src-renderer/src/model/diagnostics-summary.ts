/**
 * The diagnostics report as a helpdesk reads it: one verdict per card and per area (the worst finding, with
 * its fix), the findings grouped per named card, the same note repeated across cards merged into one line.
 */
import type { CheckStatus, DiagnosticCheck, DiagnosticsReport, TokenReport } from '../../../src-shared/contract/index.js';

export interface MergedCheck {
  check: DiagnosticCheck;
  /** How many findings said exactly this. */
  count: number;
}

export interface SummaryGroup {
  kind: 'card' | 'area';
  /** A stable key: the card's module and slot, or the area's name. */
  key: string;
  area: DiagnosticCheck['area'];
  /** The card, for a card's group. */
  token: TokenReport | null;
  /** The finding that stands for the group: its worst problem, else its first all-clear, else its first note. */
  verdict: DiagnosticCheck;
  checks: MergedCheck[];
}

const severity: Record<CheckStatus, number> = { error: 3, warning: 2, ok: 1, info: 0 };
const problem = (c: DiagnosticCheck): boolean => c.status === 'error' || c.status === 'warning';

/** Notes about the certificate authority's own certificates: the same on every card, so listed once apart from the cards. */
const authorityNote = (c: DiagnosticCheck): boolean => c.verdict === 'CERT_NO_PRIVATE_KEY';

function tokenOf(check: DiagnosticCheck, tokens: readonly TokenReport[]): TokenReport | undefined {
  if (check.area !== 'tokens' && check.area !== 'certificates') return undefined;
  return tokens.find((t) => {
    if (check.subject === `${t.label} (${t.serialNumber})`) return true;
    if (check.area !== 'certificates') return false;
    return check.details.card === t.label || (check.subject?.endsWith(` — ${t.label}`) ?? false);
  });
}

export function mergeRepeated(checks: readonly DiagnosticCheck[]): MergedCheck[] {
  const merged = new Map<string, MergedCheck>();
  for (const check of checks) {
    const key = `${check.verdict}\u0000${check.fix}`;
    const seen = merged.get(key);
    if (seen) seen.count++;
    else merged.set(key, { check, count: 1 });
  }
  return [...merged.values()];
}

function verdictOf(checks: readonly DiagnosticCheck[]): DiagnosticCheck {
  const worst = checks.filter(problem).sort((a, b) => severity[b.status] - severity[a.status])[0];
  return worst ?? checks.find((c) => c.status === 'ok') ?? checks[0]!;
}

function group(kind: SummaryGroup['kind'], key: string, area: DiagnosticCheck['area'], token: TokenReport | null, checks: DiagnosticCheck[]): SummaryGroup {
  return { kind, key, area, token, verdict: verdictOf(checks), checks: mergeRepeated(checks) };
}

/** Cards first, then the areas; within each, problems first (errors, then warnings), else the report's order. */
export function summarizeDiagnostics(report: Pick<DiagnosticsReport, 'checks' | 'tokens'>): SummaryGroup[] {
  const byCard = new Map<TokenReport, DiagnosticCheck[]>();
  const byArea = new Map<DiagnosticCheck['area'], DiagnosticCheck[]>();
  for (const check of report.checks) {
    const token = authorityNote(check) ? undefined : tokenOf(check, report.tokens);
    if (token) byCard.set(token, [...(byCard.get(token) ?? []), check]);
    else byArea.set(check.area, [...(byArea.get(check.area) ?? []), check]);
  }
  const rank = (g: SummaryGroup): number => (problem(g.verdict) ? severity[g.verdict.status] : 0);
  const sorted = (groups: SummaryGroup[]): SummaryGroup[] => groups.map((g, i) => [g, i] as const).sort(([a, i], [b, j]) => rank(b) - rank(a) || i - j).map(([g]) => g);
  const cards = [...byCard].map(([token, checks]) => group('card', `${token.modulePath}|${token.slotId}`, 'tokens', token, checks));
  const areas = [...byArea].map(([area, checks]) => group('area', area, area, null, checks));
  return [...sorted(cards), ...sorted(areas)];
}
