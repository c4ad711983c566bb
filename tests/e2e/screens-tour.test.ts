/**
 * Every screen in Slovenian and Serbian Cyrillic at 1024×640, on a card issued by the real CA, kept as
 * screenshots in tests/e2e/artifacts/screen-*.png for people to look at; the section menu stays on one row
 * at 1024 px in all four languages; the renewal screens show the step indicator with the current step.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { supportedLocales } from '../../src-shared/i18n/index.js';
import { artifactsDir } from '../helpers/e2e/browser.js';
import { focusedTestId } from '../helpers/e2e/focus.js';
import { useRenewalWeb } from '../helpers/e2e/renewal-web-mode.js';

const e2e = useRenewalWeb('obnova-e2e-tour-', { holders: [['H1', 'Ana', 'Novak', '0101990500123']], cards: [['H1', 'Ana kartica']] });

/** The nav's screens in order, with what shows that each one has loaded. */
const screens = [
  ['cards', 'certificate-row'],
  ['renewal', 'certificate-picker'],
  ['orders', 'orders-refresh'],
  ['export', 'export-save'],
  ['pin', 'pin-state'],
  ['diagnostics', 'diagnostics-summary'],
  ['settings', 'settings-form'],
] as const;

async function openIn(page: Page, lang: string): Promise<void> {
  await page.goto(e2e.web.url);
  await page.getByLabel(/language|jezik|језик/i).selectOption(lang);
  await expect.poll(() => page.locator('html').getAttribute('lang'), { timeout: 10_000 }).toBe(lang);
}

describe('every screen, as a person sees it', () => {
  it.each([['sl'], ['sr-Cyrl']])('%s: each screen at 1024×640, the renewal steps and focus on the result', async (lang) => {
    const page = await e2e.browser.newPage({ viewport: { width: 1024, height: 640 } });
    await openIn(page, lang);
    const nav = page.locator('.app-nav__item');
    for (const [index, [name, ready]] of screens.entries()) {
      await nav.nth(index).click();
      await page.getByTestId(ready).first().waitFor({ timeout: 60_000 });
      await page.screenshot({ path: join(artifactsDir, `screen-${index + 1}-${name}-${lang}.png`), fullPage: true });
    }
    // The renewal: checked, the verdict focused, the step indicator on Order, then on Submit.
    await nav.nth(1).click();
    await page.getByTestId('renewal-check').click();
    await page.getByTestId('renewal-result').waitFor({ timeout: 30_000 });
    await expect.poll(() => focusedTestId(page)).toBe('renewal-verdict');
    expect(await page.locator('[data-testid="step-indicator"] [aria-current="step"]').getAttribute('data-step')).toBe('order');
    await page.screenshot({ path: join(artifactsDir, `screen-2-renewal-checked-${lang}.png`), fullPage: true });
    await page.getByTestId('renewal-continue').click();
    await page.getByTestId('submit-form').waitFor({ timeout: 20_000 });
    expect(await page.locator('[data-testid="step-indicator"] [aria-current="step"]').getAttribute('data-step')).toBe('submit');
    // The country is a choice, named in the screen's language, with the ISO code as the value.
    expect(await page.getByTestId('billing-country').inputValue()).toBe('SI');
    expect(await page.getByTestId('billing-country').locator('option').allInnerTexts()).toEqual(lang === 'sl' ? ['Slovenija (SI)', 'Srbija (RS)'] : ['Словенија (SI)', 'Србија (RS)']);
    await page.screenshot({ path: join(artifactsDir, `screen-2-renewal-submit-${lang}.png`), fullPage: true });
    await page.close();
  }, 240_000);

  it('keeps the section menu on one row at 1024 px in every language', async () => {
    const page = await e2e.browser.newPage({ viewport: { width: 1024, height: 640 } });
    for (const lang of supportedLocales) {
      await openIn(page, lang);
      const tops = await page.locator('.app-nav__item').evaluateAll((items) => items.map((i) => (i as unknown as { offsetTop: number }).offsetTop));
      expect(tops, lang).toHaveLength(screens.length);
      expect(new Set(tops).size, `${lang}: ${tops.join(',')}`).toBe(1);
      // …and all of it visible: one row that does not have to scroll sideways either.
      const overflow = await page.locator('.app-nav').evaluate((n) => (n as unknown as { scrollWidth: number; clientWidth: number }).scrollWidth - (n as unknown as { clientWidth: number }).clientWidth);
      expect(overflow, lang).toBeLessThanOrEqual(0);
    }
    await page.screenshot({ path: join(artifactsDir, 'screen-menu-1024-en.png') });
    await page.close();
  }, 120_000);
});
