/** The helpdesk's first screenful: one verdict per card and per area, findings grouped per card, repeats merged. */
import { describe, expect, it } from 'vitest';
import type { DiagnosticCheck, TokenReport } from '../../../src-shared/contract/index.js';
import { mergeRepeated, summarizeDiagnostics } from '../../../src-renderer/src/model/diagnostics-summary.js';

function token(label: string, serialNumber: string, slotId: string): TokenReport {
  return { label, serialNumber, slotId, modulePath: '/softhsm.so' } as TokenReport;
}
function check(area: DiagnosticCheck['area'], status: DiagnosticCheck['status'], verdict: DiagnosticCheck['verdict'], subject: string | null, fix: string, details: DiagnosticCheck['details'] = {}): DiagnosticCheck {
  return { area, status, verdict, subject, fix, details };
}

const ana = token('Ana kartica', 'A1', '1');
const marko = token('Marko card', 'M2', '2');
const checks = [
  check('environment', 'info', 'APP_INFO', null, 'Obnova 1.0'),
  check('service', 'ok', 'SERVICE_OK', 'https://ca', 'reachable'),
  check('tokens', 'ok', 'TOKEN_OK', 'Ana kartica (A1)', 'Ana ready'),
  check('tokens', 'error', 'TOKEN_PIN_LOCKED', 'Marko card (M2)', 'Marko PIN locked: unblock with the PUK'),
  check('certificates', 'warning', 'CERT_EXPIRING', 'Ana Novak — Ana kartica', 'Ana expires in 19 days', { card: 'Ana kartica' }),
  check('certificates', 'ok', 'CHAIN_OK', 'Ana Novak — Ana kartica', 'Ana chain OK'),
  check('certificates', 'ok', 'CERT_OK', 'Marko Horvat — Marko card', 'Marko valid', { card: 'Marko card' }),
  check('certificates', 'info', 'CERT_NO_PRIVATE_KEY', 'Root CA — Ana kartica', 'Root CA has no key', { card: 'Ana kartica' }),
  check('certificates', 'info', 'CERT_NO_PRIVATE_KEY', 'Root CA — Marko card', 'Root CA has no key', { card: 'Marko card' }),
  check('clock', 'error', 'CLOCK_AHEAD', null, 'Clock 5 min ahead'),
];

describe('summarizeDiagnostics', () => {
  const groups = summarizeDiagnostics({ checks, tokens: [ana, marko] });

  it('gives one verdict per card, worst first, with the fix of its worst finding', () => {
    const cards = groups.filter((g) => g.kind === 'card');
    expect(cards.map((g) => [g.token?.label, g.verdict.status, g.verdict.fix])).toEqual([
      ['Marko card', 'error', 'Marko PIN locked: unblock with the PUK'],
      ['Ana kartica', 'warning', 'Ana expires in 19 days'],
    ]);
  });

  it('puts each card’s certificate findings under that card', () => {
    const anaGroup = groups.find((g) => g.token === ana)!;
    expect(anaGroup.checks.map((m) => m.check.verdict)).toEqual(['TOKEN_OK', 'CERT_EXPIRING', 'CHAIN_OK']);
  });

  it('gives one verdict per area after the cards, problems first; an all-clear beats a note', () => {
    const areas = groups.filter((g) => g.kind === 'area');
    expect(areas.map((g) => [g.area, g.verdict.status])).toEqual([
      ['clock', 'error'],
      ['environment', 'info'],
      ['service', 'ok'],
      ['certificates', 'info'],
    ]);
  });

  it('lists the certificate authority’s note once for all cards, with how often it was seen', () => {
    const authority = groups.find((g) => g.kind === 'area' && g.area === 'certificates')!;
    expect(authority.checks).toEqual([{ check: expect.objectContaining({ fix: 'Root CA has no key' }), count: 2 }]);
  });
});

describe('mergeRepeated', () => {
  it('keeps different fixes apart and counts identical ones', () => {
    const a = check('readers', 'info', 'READER_EMPTY', 'r1', 'Reader 1 empty');
    const b = check('readers', 'info', 'READER_EMPTY', 'r2', 'Reader 2 empty');
    expect(mergeRepeated([a, b, a]).map((m) => [m.check.fix, m.count])).toEqual([
      ['Reader 1 empty', 2],
      ['Reader 2 empty', 1],
    ]);
  });
});
