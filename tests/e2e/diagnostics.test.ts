/**
 * Diagnostics, support bundle, settings and the expiry reminder end to end: web mode on SoftHSM cards
 * (one expiring soon, one whose PIN three wrong tries locked — SoftHSM behind the card shim, which counts
 * tries as a card does), a loopback "service" whose clock is two hours behind, the renderer in Chromium.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSoftHsm, type SoftHsm } from '../helpers/softhsm.js';
import { artifactsDir, launchBrowser } from '../helpers/e2e/browser.js';
import { startWebMode, type WebMode } from '../helpers/e2e/web-mode.js';
import { createCardShim } from '../helpers/pkcs11-card-shim/card-shim.js';

describe('diagnostics, support bundle and settings in web mode', () => {
  let hsm: SoftHsm;
  let web: WebMode;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  let service: Server;
  let appData: string;

  beforeAll(async () => {
    mkdirSync(artifactsDir, { recursive: true });
    appData = mkdtempSync(join(tmpdir(), 'obnova-e2e-appdata-'));
    hsm = createSoftHsm();
    const card = hsm.createToken({ label: 'Ana kartica', pin: '402918' });
    await hsm.addKeyAndCertificate(card, { id: '01', label: 'Ana Novak', subject: { commonName: 'Ana Novak', country: 'SI' }, notAfter: new Date(Date.now() + 20 * 86_400_000) });
    const locked = hsm.createToken({ label: 'Zaklenjena' });
    const shim = createCardShim(hsm);
    shim.lockWithWrongPins(locked);

    service = createServer((_req, res) => {
      res.setHeader('Date', new Date(Date.now() - 2 * 3600_000).toUTCString());
      res.end();
    });
    await new Promise<void>((resolve) => service.listen(0, '127.0.0.1', resolve));
    const serviceUrl = `http://127.0.0.1:${(service.address() as AddressInfo).port}/`;
    writeFileSync(join(appData, 'settings.json'), JSON.stringify({ language: null, deployment: 'local-demo', serviceUrl, extraModulePaths: [], reminderLeadDays: 60, logLevel: 'info' }));

    web = await startWebMode({ env: { ...shim.env, LANG: 'en_GB.UTF-8', OBNOVA_APP_DATA: appData }, args: ['--module', shim.modulePath] });
    browser = await launchBrowser();
    page = await browser.browser.newPage({ viewport: { width: 1100, height: 900 } });
    await page.goto(web.url);
  });

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    service?.close();
    hsm?.cleanup();
    if (appData) rmSync(appData, { recursive: true, force: true });
  });

  it('reminds at start about the certificate that expires within the lead time', async () => {
    const banner = page.getByTestId('reminder-banner');
    await banner.waitFor({ timeout: 20_000 });
    expect(await banner.innerText()).toMatch(/The certificate of Ana Novak on card “Ana kartica” expires on .* Renew it before then\./);
  });

  it('shows each check with its fix: locked PIN, clock two hours ahead, expiring certificate', async () => {
    await page.getByRole('button', { name: 'Diagnostics', exact: true }).click();
    await page.getByTestId('diagnostics-overall').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('diagnostics-overall').getAttribute('data-status')).toBe('error');
    const check = (verdict: string) => page.locator(`[data-testid="diagnostic-check"][data-verdict="${verdict}"]`);
    expect(await check('TOKEN_PIN_LOCKED').innerText()).toContain('The PIN of card “Zaklenjena” is locked. Unblock it with your PUK code, then choose a new PIN.');
    expect(await check('CLOCK_AHEAD').innerText()).toContain('Your computer’s clock is 2 h ahead.');
    // Folded in the card's details (only a card with an error opens by itself): read without unfolding.
    expect(await check('CERT_EXPIRING').textContent()).toMatch(/Ana Novak expires in (19|20) days/);
    expect(await check('MODULE_OK').count()).toBeGreaterThanOrEqual(1);
    // Status is in words too, not colour alone.
    expect(await check('TOKEN_PIN_LOCKED').innerText()).toContain('Problem');
    await page.screenshot({ path: join(artifactsDir, 'diagnostics-en.png'), fullPage: true });
  });

  it('opens on a summary: one verdict per named card and per area, with the fix, within the first screenful', async () => {
    const rows = page.getByTestId('diagnostics-summary-row');
    const row = (kind: string, subject: string) => page.locator(`[data-testid="diagnostics-summary-row"][data-kind="${kind}"][data-subject="${subject}"]`);
    // The cards come first, the worst first.
    expect(await rows.evaluateAll((all) => all.map((r) => `${r.getAttribute('data-kind')}:${r.getAttribute('data-subject')}:${r.getAttribute('data-status')}`).slice(0, 2))).toEqual(['card:Zaklenjena:error', 'card:Ana kartica:warning']);
    expect(await row('card', 'Zaklenjena').innerText()).toMatch(/Problem\s+Card “Zaklenjena” \(\S+\)\s+The PIN of card “Zaklenjena” is locked\./);
    expect(await row('card', 'Ana kartica').innerText()).toMatch(/Ana Novak expires in (19|20) days/);
    expect(await row('area', 'clock').getAttribute('data-verdict')).toBe('CLOCK_AHEAD');
    // One line per area: no area twice, and each card once.
    const subjects = await rows.evaluateAll((all) => all.map((r) => r.getAttribute('data-subject')));
    expect(new Set(subjects).size).toBe(subjects.length);
    // What is wrong, with which card, is on the first screen (900 px) without scrolling.
    await page.evaluate('window.scrollTo(0, 0)');
    for (const subject of ['Zaklenjena', 'Ana kartica']) {
      const box = (await row('card', subject).boundingBox())!;
      expect(box.y + box.height, subject).toBeLessThan(900);
    }
    // The details are folded per card, named; a card with a problem is open.
    const lockedGroup = page.locator('[data-testid="diagnostics-group"][data-subject="Zaklenjena"]');
    expect(await lockedGroup.evaluate((el) => (el as unknown as { open: boolean }).open)).toBe(true);
    expect(await lockedGroup.locator('summary').innerText()).toContain('Card “Zaklenjena”');
  });

  it('previews the support bundle and saves exactly those files, with no PIN in them', async () => {
    await page.getByRole('button', { name: 'Show what goes in' }).click();
    await page.getByTestId('bundle-file').first().waitFor({ timeout: 30_000 });
    const names = await page.getByTestId('bundle-file').locator('summary code').allInnerTexts();
    // The card's certificate goes in as PEM too, shown in the preview like every other file.
    expect(names.slice(0, 4)).toEqual(['diagnostics.json', 'certificates.json', expect.stringMatching(/^certificates\/slot\d+-01\.pem$/), 'settings.json']);
    expect(await page.getByTestId('bundle-file').nth(2).textContent()).toMatch(/subject=.*CN=Ana Novak[\s\S]*-----BEGIN CERTIFICATE-----/);
    await page.getByRole('button', { name: 'Save the support bundle' }).click();
    const saved = page.getByTestId('bundle-saved');
    expect(await saved.innerText()).toContain('The support bundle is saved. Send this file to the helpdesk:');
    // The path is in a field to copy, the same path the message stands for.
    const path = await page.getByTestId('bundle-path').inputValue();
    expect(path).toMatch(/\.zip$/);
    expect(await saved.getAttribute('data-path')).toBe(path);
    expect(existsSync(path)).toBe(true);
    // The saved message sits right under the button, not below the list of files.
    const button = (await page.getByRole('button', { name: 'Save the support bundle' }).boundingBox())!;
    expect((await saved.boundingBox())!.y - (button.y + button.height)).toBeLessThan(100);
    await page.screenshot({ path: join(artifactsDir, 'diagnostics-bundle-en.png'), fullPage: true });
    expect(execFileSync('unzip', ['-Z1', path], { encoding: 'utf8' }).trim().split('\n')).toEqual(names);
    expect(readFileSync(path, 'latin1')).not.toContain('402918');
    expect(execFileSync('unzip', ['-p', path], { encoding: 'utf8' })).not.toContain('402918');
  });

  it('saves settings, refuses an invalid service address, and restores the defaults', async () => {
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const form = page.getByTestId('settings-form');
    await form.waitFor();
    await page.getByLabel('Remind me this many days before a certificate expires').fill('10');
    await page.getByTestId('settings-form').getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => page.getByTestId('settings-message').innerText()).toBe('Settings saved.');
    expect(JSON.parse(readFileSync(join(appData, 'settings.json'), 'utf8')).reminderLeadDays).toBe(10);

    await page.getByLabel('Renewal service address').fill('ftp://example.org');
    await page.getByTestId('settings-form').getByRole('button', { name: 'Save', exact: true }).click();
    expect(await page.getByTestId('settings-error').innerText()).toContain('serviceUrl');
    expect(JSON.parse(readFileSync(join(appData, 'settings.json'), 'utf8')).serviceUrl).toMatch(/^http:\/\/127\.0\.0\.1:/);
    await page.screenshot({ path: join(artifactsDir, 'settings-en.png'), fullPage: true });

    await page.getByTestId('settings-form').getByRole('button', { name: 'Restore defaults' }).click();
    await expect.poll(() => page.getByTestId('settings-message').innerText()).toBe('Default settings restored.');
    expect(existsSync(join(appData, 'settings.json'))).toBe(false);
    expect(await page.getByLabel('Remind me this many days before a certificate expires').inputValue()).toBe('60');
  });

  it('switches the whole app to the language chosen in Settings', async () => {
    await page.getByLabel('Language', { exact: true }).last().selectOption('sl');
    await page.getByTestId('settings-form').getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('sl');
    expect(await page.getByRole('button', { name: 'Diagnostika' }).count()).toBe(1);
    expect(JSON.parse(readFileSync(join(appData, 'settings.json'), 'utf8')).language).toBe('sl');
  });
});
