/**
 * The walking skeleton end to end: web mode on a SoftHSM card, the same renderer in Chromium,
 * the certificate visible in the page, driven by keyboard, and updated when a card appears.
 */
import { mkdirSync, readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addKeyAndCertificate, createSoftHsm, type SoftHsm } from '../helpers/softhsm.js';
import { artifactsDir, launchBrowser } from '../helpers/e2e/browser.js';
import { startWebMode, type WebMode } from '../helpers/e2e/web-mode.js';

describe('card list in web mode', () => {
  let hsm: SoftHsm;
  let web: WebMode;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  let fingerprint: string;
  let serial: string;

  beforeAll(async () => {
    mkdirSync(artifactsDir, { recursive: true });
    hsm = createSoftHsm();
    const token = hsm.createToken({ label: 'Ana kartica' });
    const made = await addKeyAndCertificate(hsm, token, {
      id: '01',
      label: 'Ana Novak',
      subject: { commonName: 'Ana Novak', givenName: 'Ana', surname: 'Novak', serialNumber: 'PNOSI-1234567890123', country: 'SI' },
      qualified: true,
      notBefore: new Date(Date.now() - 300 * 86_400_000),
      notAfter: new Date(Date.now() + 40 * 86_400_000),
      keyType: 'rsa:2048',
    });
    fingerprint = made.fingerprintSha256;
    serial = made.serialNumber;
    web = await startWebMode({ env: { ...hsm.env, LANG: 'en_GB.UTF-8' }, args: ['--module', hsm.modulePath] });
    browser = await launchBrowser();
    page = await browser.browser.newPage({ viewport: { width: 1100, height: 800 } });
  });

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    hsm?.cleanup();
  });

  it('shows the holder, the serial and the expiry of the certificate on the card', async () => {
    await page.goto(web.url);
    const row = page.getByTestId('certificate-row').filter({ hasText: 'Ana Novak' });
    await row.waitFor({ timeout: 20_000 });
    const text = await row.innerText();
    expect(text).toContain('Ana Novak');
    expect(text.toLowerCase().replace(/:/g, '')).toContain(serial);
    expect(text).toMatch(/expires in (39|40) days/i);
    await page.screenshot({ path: join(artifactsDir, 'card-list-en.png'), fullPage: true });
    // The secret left the address bar once the page took it.
    expect(page.url()).not.toContain('token=');
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is usable from the keyboard: Tab reaches the controls with a visible focus', async () => {
    await page.keyboard.press('Tab');
    const focused = page.locator(':focus');
    const first = await focused.evaluate((el) => el.tagName);
    expect(['BUTTON', 'SELECT', 'A', 'SUMMARY', 'INPUT']).toContain(first);
    const outline = await focused.evaluate((el) => {
      const style = el.ownerDocument.defaultView!.getComputedStyle(el);
      return `${style.outlineStyle} ${style.outlineWidth} ${style.boxShadow}`;
    });
    expect(outline).not.toBe('none 0px none');
  });

  it('speaks Slovenian when the holder picks it', async () => {
    await page.getByLabel(/language|jezik|језик/i).selectOption('sl');
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('sl');
    await page.screenshot({ path: join(artifactsDir, 'card-list-sl.png'), fullPage: true });
    await page.getByLabel(/language|jezik|језик/i).selectOption('en');
  });

  it('updates the list when a second card is inserted while the app is open', async () => {
    // A real card arrives with its objects already on it: build it in a SoftHSM of its own, then
    // move its token folder in with one rename, so the app never sees a half-made card.
    const elsewhere = createSoftHsm({ setProcessEnv: false });
    try {
      const token = elsewhere.createToken({ label: 'Druga kartica' });
      await addKeyAndCertificate(elsewhere, token, {
        id: '02',
        label: 'Bojan Kovač',
        subject: { commonName: 'Bojan Kovač', country: 'SI' },
        qualified: false,
        notBefore: new Date(Date.now() - 86_400_000),
        notAfter: new Date(Date.now() + 700 * 86_400_000),
        keyType: 'EC:prime256v1',
      });
      const [folder] = readdirSync(join(elsewhere.dir, 'tokens'));
      renameSync(join(elsewhere.dir, 'tokens', folder!), join(hsm.dir, 'tokens', folder!));
    } finally {
      elsewhere.cleanup();
    }
    const row = page.getByTestId('certificate-row').filter({ hasText: 'Bojan Kovač' });
    await row.waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('certificate-row').count()).toBe(2);
    await page.screenshot({ path: join(artifactsDir, 'card-list-two-cards.png'), fullPage: true });
  });
});
