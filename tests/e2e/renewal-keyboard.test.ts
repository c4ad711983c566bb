/**
 * A helpdesk worker drives the whole first renewal from the keyboard alone (Tab, Space, Enter, typing):
 * every control it needs is reachable in order and shows a visible focus ring.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { artifactsDir } from '../helpers/e2e/browser.js';
import { useRenewalWeb } from '../helpers/e2e/renewal-web-mode.js';
import type { IssuedCard } from '../integration/renewal-app/ca-process.js';
import { objectIds } from '../integration/renewal-app/card-reader.js';

const e2e = useRenewalWeb('obnova-e2e-keyboard-', { holders: [['H1', 'Ana', 'Novak', '0101990500123']], cards: [['H1', 'Ana kartica']] });

/** Presses Tab until the focused element matches; fails if it takes more than `max` presses. Checks the focus is visible. */
async function tabTo(page: Page, describe: string, matches: (el: { testId: string | null; text: string; label: string }) => boolean, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const focused = page.locator(':focus');
    const el =
      (await focused.count()) === 0
        ? null
        : await focused.first().evaluate((a) => {
            const doc = a.ownerDocument;
            const id = a.getAttribute('id');
            const label = id ? (doc.querySelector(`label[for="${id}"]`)?.textContent ?? '') : (a.closest('label')?.textContent ?? '');
            const style = doc.defaultView!.getComputedStyle(a);
            return { testId: a.getAttribute('data-testid'), text: a.textContent ?? '', label, outline: `${style.outlineStyle} ${style.outlineWidth}` };
          });
    if (el && matches(el)) {
      expect(el.outline, `${describe}: visible focus`).not.toMatch(/^none|0px$/);
      return;
    }
  }
  throw new Error(`${describe} was not reached with Tab`);
}

describe('keyboard only', () => {
  it('order, submit, track and receive without a mouse', async () => {
    const [card] = e2e.cards as [IssuedCard];
    const page = await e2e.browser.newPage({ viewport: { width: 1100, height: 900 } });
    await page.goto(e2e.web.url);
    await page.getByTestId('token-card').first().waitFor({ timeout: 20_000 });

    await tabTo(page, 'Renewal in the navigation', (e) => e.text === 'Renewal');
    await page.keyboard.press('Enter');
    await page.getByTestId('certificate-picker').waitFor({ timeout: 20_000 });
    await tabTo(page, 'the certificate picker', (e) => e.testId === 'certificate-picker');
    await tabTo(page, 'Check the certificate', (e) => e.testId === 'renewal-check');
    await page.keyboard.press('Enter');
    await page.getByTestId('renewal-result').waitFor({ timeout: 30_000 });
    await tabTo(page, 'Continue to the order', (e) => e.testId === 'renewal-continue');
    await page.keyboard.press('Enter');
    await page.getByTestId('submit-form').waitFor({ timeout: 20_000 });

    await tabTo(page, 'the confirmation', (e) => e.testId === 'submit-confirm');
    await page.keyboard.press('Space');
    const typeInto = async (testId: string, text: string) => {
      await tabTo(page, testId, (e) => e.testId === testId);
      await page.keyboard.press('ControlOrMeta+a');
      await page.keyboard.type(text);
    };
    await typeInto('billing-street', 'Trubarjeva 5');
    await typeInto('billing-postal-code', '1000');
    await typeInto('billing-city', 'Ljubljana');
    // The country is a choice of the markets' countries, preselected from the certificate; Tab passes it.
    await tabTo(page, 'billing-country', (e) => e.testId === 'billing-country');
    expect(await page.getByTestId('billing-country').inputValue()).toBe('SI');
    await typeInto('billing-email', 'ana@example.si');
    await typeInto('submit-pin', card.pin);
    await page.keyboard.press('Enter');

    const order = page.getByTestId('order-card').first();
    await order.waitFor({ timeout: 30_000 });
    await e2e.ca.markPaid((await order.getAttribute('data-order'))!);
    await tabTo(page, 'Check the status now', (e) => e.testId === 'orders-refresh');
    await page.keyboard.press('Enter');
    await expect.poll(() => order.getAttribute('data-status'), { timeout: 20_000 }).toBe('ready-for-pickup');
    // Still unlocked from the Submit of this sitting: Receive asks no PIN, its button is next.
    await tabTo(page, 'Receive', (e) => e.testId === 'receive-start');
    await page.keyboard.press('Enter');
    await expect.poll(() => order.getAttribute('data-status'), { timeout: 60_000 }).toBe('completed');
    await page.screenshot({ path: join(artifactsDir, 'renewal-keyboard-done.png'), fullPage: true });

    expect(objectIds(card, 'privkey')).toHaveLength(2);
    await page.close();
  }, 240_000);
});
