/**
 * The PIN in Submit and Receive (issue 17, path 3), on cards behind the card shim (a PIN retry counter, as on
 * a card): the PIN state is shown before typing (tries low, final try, locked → unblock with the PUK);
 * Receive in the sitting the Submit unlocked asks no PIN and says why; and a wrong PIN never completes
 * a step (the main side of that: tests/integration/token/card-sitting.test.ts).
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { en } from '../../src-shared/i18n/messages/en.js';
import { sl } from '../../src-shared/i18n/messages/sl.js';
import { srCyrl } from '../../src-shared/i18n/messages/sr-cyrl.js';
import { artifactsDir } from '../helpers/e2e/browser.js';
import { anaAndMarko, fillBilling, openSubmitForm, useRenewalWeb } from '../helpers/e2e/renewal-web-mode.js';

const e2e = useRenewalWeb('obnova-e2e-renewal-pin-', { ...anaAndMarko, shim: { pinTries: 3 } });

async function signWith(page: Page, pin: string): Promise<void> {
  await page.getByTestId('submit-pin').fill(pin);
  await page.getByTestId('submit-sign').click();
}

it('Submit shows tries low and final try before typing; Receive in the same sitting asks no PIN and says why', async () => {
  const card = e2e.cards[0]!;
  const page = await e2e.browser.newPage({ viewport: { width: 1000, height: 1400 } });
  await openSubmitForm(page, e2e.web.url, card.tokenLabel);
  await fillBilling(page);
  const state = page.getByTestId('submit-pin-state');
  expect(await state.count()).toBe(0);

  // A wrong PIN: refused, and the form now says tries are low before the next one is typed.
  await signWith(page, '99999999');
  await expect.poll(() => page.getByTestId('submit-error').getAttribute('data-code'), { timeout: 20_000 }).toBe('TOKEN_PIN_INCORRECT');
  await expect.poll(() => state.getAttribute('data-state'), { timeout: 10_000 }).toBe('count-low');
  expect(await state.innerText()).toContain(en.token.pinCountLow);
  await signWith(page, '99999998');
  await expect.poll(() => state.getAttribute('data-state'), { timeout: 20_000 }).toBe('final-try');
  expect(await state.innerText()).toContain(en.token.pinFinalTry);
  // Everything typed is still there.
  expect(await page.getByLabel('Street and number').inputValue()).toBe('Trubarjeva 5');
  await page.screenshot({ path: join(artifactsDir, 'renewal-pin-final-try-en.png'), fullPage: true });

  await signWith(page, card.pin);
  const order = page.getByTestId('order-card').first();
  await order.waitFor({ timeout: 30_000 });
  const orderId = (await order.getAttribute('data-order'))!;
  await e2e.ca.markPaid(orderId);
  await page.getByTestId('orders-refresh').click();
  await expect.poll(() => order.getAttribute('data-status'), { timeout: 20_000 }).toBe('ready-for-pickup');

  // Same sitting: the card is still unlocked, so Receive asks no PIN and says so.
  const receive = order.getByTestId('receive-panel');
  await receive.getByTestId('receive-pin-sitting').waitFor({ timeout: 20_000 });
  expect(await receive.getByTestId('receive-pin-sitting').innerText()).toBe(en.renewalPin.sitting);
  expect(await receive.locator('input[type=password]').count()).toBe(0);
  await page.getByLabel(/language|jezik|језик/i).selectOption('sl');
  await expect.poll(() => receive.getByTestId('receive-pin-sitting').innerText()).toBe(sl.renewalPin.sitting);
  await page.screenshot({ path: join(artifactsDir, 'renewal-pin-sitting-sl.png'), fullPage: true });
  await page.getByLabel(/language|jezik|језик/i).selectOption('en');
  await receive.getByTestId('receive-start').click();
  await expect.poll(() => order.getAttribute('data-status'), { timeout: 60_000 }).toBe('completed');
  expect(await receive.getByTestId('receive-step').evaluateAll((steps) => steps.map((s) => s.getAttribute('data-state')))).toEqual(Array(7).fill('done'));
  await page.close();
}, 240_000);

it('a PIN locked in Submit: no PIN field, nothing to sign, one click to unblock it with the PUK on the PIN screen', async () => {
  const card = e2e.cards[1]!;
  const page = await e2e.browser.newPage({ viewport: { width: 1000, height: 1400 } });
  await openSubmitForm(page, e2e.web.url, card.tokenLabel);
  await fillBilling(page);
  for (const pin of ['99999999', '99999998']) {
    await signWith(page, pin);
    await expect.poll(() => page.getByTestId('submit-error').getAttribute('data-code'), { timeout: 20_000 }).toBe('TOKEN_PIN_INCORRECT');
    await page.getByTestId('submit-pin-state').waitFor();
  }
  await signWith(page, '99999997');
  const state = page.getByTestId('submit-pin-state');
  await expect.poll(() => state.getAttribute('data-state'), { timeout: 20_000 }).toBe('locked');
  expect(await state.innerText()).toContain(en.token.pinLocked);
  expect(await page.getByTestId('submit-pin').count()).toBe(0);
  expect(await page.getByTestId('submit-sign').isDisabled()).toBe(true);
  await page.getByLabel(/language|jezik|језик/i).selectOption('sr-Cyrl');
  await expect.poll(() => page.getByTestId('submit-pin-unblock').innerText()).toBe(srCyrl.renewalPin.unblock);
  await page.screenshot({ path: join(artifactsDir, 'renewal-pin-locked-sr-Cyrl.png'), fullPage: true });
  await page.getByLabel(/language|jezik|језик/i).selectOption('en');

  // The PIN screen opens on this card, on the unblock.
  await page.getByTestId('submit-pin-unblock').click();
  const select = page.getByLabel('Card');
  await expect.poll(async () => (await select.locator('option:checked').innerText()).startsWith(`${card.tokenLabel} (`), { timeout: 20_000 }).toBe(true);
  await page.getByTestId('pin-form-unblock').waitFor({ timeout: 20_000 });
  await page.close();
}, 240_000);
