/**
 * The Order step for cards that cannot be renewed online, in web mode against the real service: each
 * shows the right failing row with its reason and what to do instead; and a card renewed as often as
 * the policy allows shows the new-card path.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toPem } from '../../src-shared/pki/pem.js';
import { artifactsDir, launchBrowser } from '../helpers/e2e/browser.js';
import { checkCertificate } from '../helpers/e2e/renewal-web-mode.js';
import { startWebMode, type WebMode } from '../helpers/e2e/web-mode.js';
import { useSoftHsmEnv } from '../helpers/service/softhsm-env.js';
import { softhsmModule, startCaProcess, type CaProcess } from '../integration/renewal-app/ca-process.js';

const hsm = useSoftHsmEnv('obnova-e2e-refusals-');
const root = join(import.meta.dirname, '..', '..');
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let work: string;
const running: { ca: CaProcess; web: WebMode }[] = [];

/**
 * A card whose certificate the CA issued six years ago (expired): key and CSR by openssl, the certificate
 * by the CA's own issuance in a child process, both put on a new SoftHSM token with pkcs11-tool.
 */
async function expiredCard(ca: CaProcess, holderId: string, label: string): Promise<void> {
  const dir = mkdtempSync(join(work, 'expired-'));
  const run = (cmd: string, args: string[]) => {
    const r = spawnSync(cmd, args, { encoding: 'utf8', cwd: root, env: process.env, timeout: 120_000 });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
  };
  run('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=Eva Expired', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'csr.pem')]);
  run(join(root, 'node_modules/.bin/tsx'), [join(root, 'tests/integration/renewal-app/issue-backdated.ts'), ca.dir, holderId, join(dir, 'csr.pem'), new Date(Date.now() - 6 * 365 * 86_400_000).toISOString(), join(dir, 'cert.der')]);
  run('softhsm2-util', ['--init-token', '--free', '--label', label, '--pin', '5555', '--so-pin', '55555555']);
  run('pkcs11-tool', ['--module', softhsmModule, '--token-label', label, '--login', '--pin', '5555', '--write-object', join(dir, 'cert.der'), '--type', 'cert', '--id', '01', '--label', 'Eva Expired']);
}

/** A CA (policy edited) and a web mode trusting it and talking to it. */
async function serviceWithApp(market: 'si' | 'rs', policy: Record<string, unknown>, prepare: (ca: CaProcess) => Promise<void>): Promise<{ ca: CaProcess; web: WebMode }> {
  const ca = await startCaProcess({ market, policy });
  await prepare(ca);
  const appData = mkdtempSync(join(work, 'app-'));
  mkdirSync(join(appData, 'trust'));
  writeFileSync(join(appData, 'trust', 'ca.pem'), toPem(ca.root.der, 'CERTIFICATE') + toPem(ca.issuing.der, 'CERTIFICATE'));
  const web = await startWebMode({ env: { ...process.env, OBNOVA_APP_DATA: appData, OBNOVA_SERVICE_URL: ca.url, LANG: 'en_GB.UTF-8' }, args: ['--module', softhsmModule] });
  running.push({ ca, web });
  return { ca, web };
}

/** Checks the certificate on the card labelled `tokenLabel`; returns the rows as [id, status, code]. */
async function checklist(page: Page, web: WebMode, tokenLabel: string, shot: string): Promise<string[][]> {
  await checkCertificate(page, web.url, tokenLabel);
  await page.screenshot({ path: join(artifactsDir, `renewal-refusal-${shot}.png`), fullPage: true });
  return page.getByTestId('check-row').evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-check')!, r.getAttribute('data-status')!, r.getAttribute('data-code')!]));
}

beforeAll(async () => {
  mkdirSync(artifactsDir, { recursive: true });
  work = mkdtempSync(join(tmpdir(), 'obnova-e2e-refusals-'));
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  for (const { ca, web } of running) {
    await web.stop();
    await ca.cleanup();
  }
  if (work) rmSync(work, { recursive: true, force: true });
  hsm.cleanup();
});

describe('ineligible cards in web mode', () => {
  it('revoked, data changed and expired (Slovenia): each the right row, reason and what to do instead', async () => {
    const { web } = await serviceWithApp('si', { renewalWindowDays: 3650 }, async (ca) => {
      await ca.addHolder('R1', 'Rok', 'Revoked', '0101990500001');
      await ca.addHolder('D1', 'Dana', 'Changed', '0101990500002');
      const revoked = await ca.issueCard('R1', 'Revoked card');
      await ca.run(['revoke', revoked.serial, '--reason', 'keyCompromise']);
      await ca.issueCard('D1', 'Changed card');
      await ca.run(['holders', 'change', 'D1', '--surname', 'Novak Changed']);
      await ca.addHolder('E1', 'Eva', 'Expired', '0101990500004');
      await expiredCard(ca, 'E1', 'Expired card');
    });
    const page = await browser.browser.newPage({ viewport: { width: 1100, height: 1000 } });
    const revoked = await checklist(page, web, 'Revoked card', 'revoked');
    expect(revoked).toContainEqual(['not-revoked', 'fail', 'CERT_REVOKED']);
    expect(await page.getByTestId('check-row').filter({ hasText: 'revoked' }).innerText()).toContain('submit a new application');
    const changed = await checklist(page, web, 'Changed card', 'data-changed');
    expect(changed).toContainEqual(['data-unchanged', 'fail', 'RENEWAL_HOLDER_DATA_CHANGED']);
    expect(await page.getByTestId('renewal-verdict').getAttribute('data-path')).toBe('original-issuance');
    const expired = await checklist(page, web, 'Expired card', 'expired');
    expect(expired).toContainEqual(['not-expired', 'fail', 'CERT_EXPIRED']);
    expect(Number(await page.getByTestId('days-to-expiry').getAttribute('data-days'))).toBeLessThan(0);
    expect(await page.getByTestId('check-row').filter({ hasText: 'expired' }).first().innerText()).toContain('submit a new application');
    await page.close();
  }, 240_000);

  it('legal entity in Serbia: "renewed online" fails and the original-issuance steps are listed; a fresh card is too early', async () => {
    const { web } = await serviceWithApp('rs', { renewalWindowDays: 60 }, async (ca) => {
      await ca.addHolder('L1', 'Petar', 'Petrovic', '0202980710011', { legalName: 'Primer d.o.o.', organizationId: '100000001' });
      await ca.addHolder('N1', 'Nada', 'Early', '0303980710022');
      await ca.issueCard('L1', 'Legal card');
      await ca.issueCard('N1', 'Early card');
    });
    const page = await browser.browser.newPage({ viewport: { width: 1100, height: 1100 } });
    const legal = await checklist(page, web, 'Legal card', 'legal-entity-rs');
    expect(legal).toContainEqual(['online-renewal', 'fail', 'RENEWAL_LEGAL_ENTITY_PROCEDURE']);
    expect(await page.getByTestId('renewal-steps').locator('li').count()).toBeGreaterThan(2);
    const early = await checklist(page, web, 'Early card', 'too-early');
    expect(early).toContainEqual(['renewal-window', 'fail', 'RENEWAL_TOO_EARLY']);
    expect(await page.getByTestId('renewal-verdict').innerText()).toMatch(/Renewal opens on/);
    await page.close();
  }, 240_000);

  it('a card already renewed as often as allowed: eligible, and the new card path is shown', async () => {
    const { web } = await serviceWithApp('si', { renewalWindowDays: 3650, renewalsPerCard: 0 }, async (ca) => {
      await ca.addHolder('M1', 'Maja', 'Renewed', '0101990500003');
      await ca.issueCard('M1', 'Renewed card');
    });
    const page = await browser.browser.newPage({ viewport: { width: 1100, height: 1000 } });
    const rows = await checklist(page, web, 'Renewed card', 'new-card');
    expect(rows.every(([, status]) => status === 'pass')).toBe(true);
    expect(await page.getByTestId('renewal-verdict').getAttribute('data-path')).toBe('new-media');
    expect(await page.getByTestId('renewal-verdict').innerText()).toContain('A new card with the new certificate will be sent to you.');
    await page.close();
  }, 240_000);
});
