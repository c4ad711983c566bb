/**
 * `npm run demo -- --check`: the real demo (CAs by obnova-ca init, seven SoftHSM cards, both renewal
 * services, web mode) in a scratch folder, checked through the app's bridge and the services.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'obnova-demo-check-'));

interface CheckedCard {
  id: string;
  tokenLabel: string;
  holder: string;
  appHolder: string | null;
  listed: boolean;
  verdict: { eligible: boolean; path: string | null; codes: string[] };
  app: { eligible: boolean; path: string | null; serviceProblem: string | null } | null;
}

describe('npm run demo', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('makes the demo cards, the app sees them, the services judge them as intended, and both renewal paths go through', () => {
    const run = spawnSync(join(root, 'node_modules/.bin/tsx'), ['scripts/demo.ts', '--check', '--dir', join(dir, 'demo')], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    expect(run.stderr, run.stdout).not.toContain('demo:');
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('demo check: the app sees 7 demo cards, both services answer, and renewals went through');
    const line = run.stdout.split('\n').find((l) => l.startsWith('DEMO-CHECK '));
    const report = JSON.parse(line!.slice('DEMO-CHECK '.length)) as {
      startedInMs: number;
      cards: CheckedCard[];
      renewal: { statuses: string[]; newSerial: string | null; paidAfterMs: number } | null;
      newCard: { statuses: string[]; newSerial: string | null } | null;
    };
    const card = (id: string) => report.cards.find((c) => c.id === id)!;

    // Every card is listed by the running app with the holder its certificate names.
    const holders = Object.fromEntries(report.cards.map((c) => [c.id, c.appHolder]));
    expect(holders).toEqual({
      valid: 'Ana Novak',
      expiring: 'Marko Horvat',
      expired: 'Maja Kranjc',
      revoked: 'Luka Zupan',
      'data-changed': 'Nina Kovač',
      'legal-rs': 'Agro Petrović d.o.o.',
      'renewed-once': 'Tomaž Kos',
    });
    for (const c of report.cards) expect(c.listed, c.tokenLabel).toBe(true);

    // POST /v1/eligibility through the services.
    expect(card('valid').verdict).toEqual({ eligible: false, path: 'existing-media', codes: ['RENEWAL_TOO_EARLY'] });
    expect(card('expiring').verdict).toEqual({ eligible: true, path: 'existing-media', codes: [] });
    expect(card('expired').verdict).toEqual({ eligible: false, path: 'original-issuance', codes: ['RENEWAL_CERT_EXPIRED'] });
    expect(card('revoked').verdict).toEqual({ eligible: false, path: 'original-issuance', codes: ['RENEWAL_CERT_REVOKED'] });
    expect(card('data-changed').verdict).toEqual({ eligible: false, path: 'original-issuance', codes: ['RENEWAL_HOLDER_DATA_CHANGED'] });
    expect(card('legal-rs').verdict).toEqual({ eligible: false, path: 'original-issuance', codes: ['RENEWAL_LEGAL_ENTITY_PROCEDURE'] });
    expect(card('renewed-once').verdict).toEqual({ eligible: true, path: 'new-media', codes: [] });

    // The app's own renewal check reaches the demo service (settings) and trusts the demo CA (trust/).
    expect(card('expiring').app).toEqual({ eligible: true, path: 'existing-media', serviceProblem: null });
    expect(card('renewed-once').app).toEqual({ eligible: true, path: 'new-media', serviceProblem: null });
    expect(card('revoked').app).toEqual({ eligible: false, path: 'original-issuance', serviceProblem: null });

    // A renewal on the expiring card through the app: the demo service confirms the payment by itself.
    expect(report.renewal?.statuses).toEqual(['awaiting-payment', 'ready-for-pickup', 'completed']);
    expect(report.renewal?.newSerial).toMatch(/^[0-9a-f]+$/);
    // The demo service marks it paid by itself: no mark-paid was run (the time it took is in the report, not asserted).
    expect(report.renewal!.paidAfterMs).toBeGreaterThan(0);

    // The card renewed once: paid by the demo service, a new card made by the back office, handed over, completed in the app.
    expect(report.newCard?.statuses).toEqual(['awaiting-payment', 'paid', 'card-in-production', 'completed']);
    expect(report.newCard?.newSerial).toMatch(/^[0-9a-f]+$/);

    // The summary a helpdesk person reads: PIN and PUK per card, the back office with its token.
    expect(run.stdout).toMatch(/Demo valid\s+Ana Novak\s+PIN \d{6}\s+PUK \d{8}/);
    expect(run.stdout).toMatch(/SI\s+http:\/\/127\.0\.0\.1:\d+\/admin\/orders\s+token \S{24,}/);
    expect(run.stdout).toMatch(/App \(web mode\)\s+http:\/\/127\.0\.0\.1:\d+\/#token=/);
  }, 150_000);
});
