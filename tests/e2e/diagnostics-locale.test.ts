/**
 * The Settings language is the app's language from the start, and the header picker and Settings stay one
 * choice (web mode, Chromium). Also the Diagnostics screen's card details (token versions, memory, flags).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSoftHsm, type SoftHsm } from '../helpers/softhsm.js';
import { launchBrowser } from '../helpers/e2e/browser.js';
import { startWebMode, type WebMode } from '../helpers/e2e/web-mode.js';

describe('language from Settings at start, one choice for header and Settings', () => {
  let hsm: SoftHsm;
  let web: WebMode;
  let launched: Awaited<ReturnType<typeof launchBrowser>>;
  let browser: Browser;
  let appData: string;
  const saved = (): unknown => JSON.parse(readFileSync(join(appData, 'settings.json'), 'utf8')).language;

  beforeAll(async () => {
    appData = mkdtempSync(join(tmpdir(), 'obnova-e2e-locale-'));
    hsm = createSoftHsm();
    hsm.createToken({ label: 'Jezikovna', pin: '402918' });
    writeFileSync(join(appData, 'settings.json'), JSON.stringify({ language: 'sl', deployment: 'local-demo', serviceUrl: null, extraModulePaths: [], reminderLeadDays: 60, logLevel: 'info' }));
    web = await startWebMode({ env: { ...hsm.env, LANG: 'en_GB.UTF-8', OBNOVA_APP_DATA: appData }, args: ['--module', hsm.modulePath] });
    launched = await launchBrowser();
    browser = launched.browser;
  });

  afterAll(async () => {
    await launched?.close();
    await web?.stop();
    hsm?.cleanup();
    if (appData) rmSync(appData, { recursive: true, force: true });
  });

  it('opens in the Settings language (sl) although the browser and the OS say English', async () => {
    const page = await browser.newPage({ locale: 'en-GB' });
    await page.goto(web.url);
    await expect.poll(() => page.locator('html').getAttribute('lang'), { timeout: 20_000 }).toBe('sl');
    await page.getByRole('button', { name: 'Diagnostika', exact: true }).waitFor();
    expect(await page.locator('.language-picker select').inputValue()).toBe('sl');
    await page.close();
  });

  it('the header picker saves to Settings, and Settings shows it; Settings saves back to the header', async () => {
    const page = await browser.newPage({ locale: 'en-GB' });
    await page.goto(web.url);
    await expect.poll(() => page.locator('html').getAttribute('lang'), { timeout: 20_000 }).toBe('sl');
    await page.getByRole('button', { name: 'Nastavitve', exact: true }).click();
    const settingsLanguage = page.getByTestId('settings-form').locator('select').first();
    await expect.poll(() => settingsLanguage.inputValue()).toBe('sl');

    await page.locator('.language-picker select').selectOption('en');
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en');
    await expect.poll(saved).toBe('en');
    await expect.poll(() => settingsLanguage.inputValue()).toBe('en');

    await settingsLanguage.selectOption('sr-Cyrl');
    await page.getByTestId('settings-form').getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('sr-Cyrl');
    expect(await page.locator('.language-picker select').inputValue()).toBe('sr-Cyrl');
    expect(saved()).toBe('sr-Cyrl');
    await page.close();
  });

  it('a fresh browser profile (no cached choice) starts in the saved language too', async () => {
    const context = await browser.newContext({ locale: 'en-GB' });
    const page = await context.newPage();
    await page.goto(web.url);
    await expect.poll(() => page.locator('html').getAttribute('lang'), { timeout: 20_000 }).toBe('sr-Cyrl');
    await context.close();
  });

  it('"follow the system" in Settings switches to the system language (en here) and clears the saved one', async () => {
    const page = await browser.newPage({ locale: 'en-GB' });
    await page.goto(web.url);
    await expect.poll(() => page.locator('html').getAttribute('lang'), { timeout: 20_000 }).toBe('sr-Cyrl');
    await page.locator('.language-picker select').selectOption('en');
    await expect.poll(saved).toBe('en');
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const settingsLanguage = page.getByTestId('settings-form').locator('select').first();
    await settingsLanguage.selectOption('');
    await page.getByTestId('settings-form').getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(saved).toBeNull();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.close();
  });

  it('a language whose words arrive late never overrides the one chosen after it', async () => {
    // Each catalogue is a chunk loaded on first use: hold Slovenian's back, then change the mind to English.
    const context = await browser.newContext({ locale: 'en-GB' });
    let releaseSlovenian = (): void => undefined;
    const slovenianHeld = new Promise<void>((resolve) => (releaseSlovenian = resolve));
    await context.route(/\/assets\/sl-[^/]+\.js$/, async (route) => {
      await slovenianHeld;
      await route.continue();
    });
    const page = await context.newPage();
    await page.goto(web.url);
    await expect.poll(() => page.locator('html').getAttribute('lang'), { timeout: 20_000 }).toBe('en');
    await page.locator('.language-picker select').selectOption('sl');
    await expect.poll(saved).toBe('sl');
    await page.locator('.language-picker select').selectOption('en');
    await expect.poll(saved).toBe('en');
    releaseSlovenian();
    const slovenianLoads = "performance.getEntriesByType('resource').filter((e) => /[/]assets[/]sl-[^/]+[.]js$/.test(e.name)).length";
    await expect.poll(() => page.evaluate(slovenianLoads), { timeout: 10_000 }).toBe(1);
    // Give a late switch the time it would need to show.
    await page.waitForTimeout(500);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await expect(page.getByRole('button', { name: 'Diagnostics', exact: true }).isVisible()).resolves.toBe(true);
    await context.close();
  });

  it('the Diagnostics screen shows the card details: versions, memory and token flags', async () => {
    const page = await browser.newPage({ locale: 'en-GB' });
    await page.goto(web.url);
    await page.getByRole('button', { name: 'Diagnostics', exact: true }).click();
    // The card's technical data sit folded in the card's own details.
    const group = page.locator('[data-testid="diagnostics-group"][data-kind="card"]').first();
    await group.waitFor({ timeout: 30_000 });
    if (!(await group.evaluate((el) => (el as unknown as { open: boolean }).open))) await group.locator('summary').click();
    const facts = group.getByTestId('token-facts');
    await facts.waitFor({ timeout: 30_000 });
    const text = await facts.innerText();
    expect(await facts.getAttribute('aria-label')).toMatch(/^Technical data of card “.+”$/);
    expect(text).toMatch(/Firmware version\s+\d+\.\d+/);
    expect(text).toMatch(/Token flags\s+0x[0-9a-f]{8} .*CKF_TOKEN_INITIALIZED/);
    await page.close();
  });
});
