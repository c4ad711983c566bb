/**
 * A renewal on a card in a PIN-pad reader, in web mode (card shim in front of SoftHSM): Submit and Receive
 * show no PIN field, say what to type on the reader while it waits, show Cancel on the reader as such (no
 * order placed, no key made), and complete with the PIN "typed on the reader" (the shim's pad queue).
 */
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { en } from '../../src-shared/i18n/messages/en.js';
import { artifactsDir } from '../helpers/e2e/browser.js';
import { fillBilling, openSubmitForm, useRenewalWeb } from '../helpers/e2e/renewal-web-mode.js';
import { objectIds } from '../integration/renewal-app/card-reader.js';

const e2e = useRenewalWeb('obnova-e2e-renewal-pad-', { holders: [['H1', 'Ana', 'Novak', '0101990500123']], cards: [['H1', 'Ana na tipkovnici']], pinPad: true });

it('orders and receives with the PIN typed on the reader; Cancel on the reader changes nothing', async () => {
  const card = e2e.cards[0]!;
  const shim = e2e.shim!;
  const keysBefore = objectIds(card, 'privkey');
  const page = await e2e.browser.newPage({ viewport: { width: 1000, height: 1000 } });
  await openSubmitForm(page, e2e.web.url);

  // Submit: the reader's keypad instead of a PIN field; typing here one click away and back.
  const form = page.getByTestId('submit-form');
  await page.getByTestId('submit-pad-note').waitFor({ timeout: 20_000 });
  expect(await form.locator('input[type=password]').count()).toBe(0);
  await page.getByRole('button', { name: en.renewalPad.typeHere }).click();
  await page.getByTestId('submit-pin').waitFor();
  await page.getByRole('button', { name: en.pin.usePad }).click();
  await page.getByTestId('submit-pad-note').waitFor();
  await fillBilling(page);
  const sign = page.getByRole('button', { name: en.renewalPad.sign });

  // While the reader waits: the live status says what to do there, nothing else can be started.
  await sign.click();
  const status = page.getByRole('status').filter({ hasText: en.renewalPad.signWaiting });
  await status.waitFor({ timeout: 20_000 });
  expect(await sign.isDisabled()).toBe(true);
  expect(await page.getByRole('button', { name: en.renewalPad.typeHere }).isDisabled()).toBe(true);
  await page.screenshot({ path: join(artifactsDir, 'renewal-pad-submit-waiting-en.png'), fullPage: true });
  shim.typeOnPad('CANCEL');
  await expect.poll(() => page.getByTestId('submit-pad-cancelled').innerText(), { timeout: 20_000 }).toBe(en.renewalPad.signCancelled);
  expect(await page.getByTestId('submit-pad-cancelled').getAttribute('data-code')).toBe('CANCELLED');
  expect(await page.getByTestId('submit-error').count()).toBe(0);

  await sign.click();
  await status.waitFor({ timeout: 20_000 });
  shim.typeOnPad(card.pin);
  const order = page.getByTestId('order-card').first();
  await order.waitFor({ timeout: 30_000 });
  const orderId = (await order.getAttribute('data-order'))!;
  // The cancelled try placed nothing: this is the only order.
  expect(await page.getByTestId('order-card').count()).toBe(1);
  expect(shim.padPending()).toEqual([]);
  await e2e.ca.markPaid(orderId);

  // The holder comes back to receive another day: a new sitting, so the card asks for the PIN again.
  await e2e.web.stop();
  await e2e.restartWeb();
  await page.goto(e2e.web.url);
  await page.getByRole('button', { name: 'My orders', exact: true }).click();
  await expect.poll(() => order.getAttribute('data-status'), { timeout: 30_000 }).toBe('ready-for-pickup');

  // Receive: Cancel on the reader first (no key made), then the PIN on the reader.
  const receive = order.getByTestId('receive-panel');
  await receive.getByTestId('receive-pad-note').waitFor({ timeout: 20_000 });
  expect(await receive.locator('input[type=password]').count()).toBe(0);
  const start = receive.getByRole('button', { name: en.renewalPad.receive });
  await start.click();
  await expect.poll(() => receive.getByTestId('receive-status').innerText(), { timeout: 20_000 }).toBe(en.renewalPad.receiveWaiting);
  expect(await start.isDisabled()).toBe(true);
  await page.screenshot({ path: join(artifactsDir, 'renewal-pad-receive-waiting-en.png'), fullPage: true });
  shim.typeOnPad('CANCEL');
  await expect.poll(() => receive.getByTestId('receive-pad-cancelled').innerText(), { timeout: 20_000 }).toBe(en.renewalPad.receiveCancelled);
  expect(objectIds(card, 'privkey')).toEqual(keysBefore);

  await start.click();
  await expect.poll(() => receive.getByTestId('receive-status').innerText(), { timeout: 20_000 }).toBe(en.renewalPad.receiveWaiting);
  shim.typeOnPad(card.pin);
  await expect.poll(() => order.getAttribute('data-status'), { timeout: 60_000 }).toBe('completed');
  expect(await receive.getByTestId('receive-step').evaluateAll((steps) => steps.map((s) => s.getAttribute('data-state')))).toEqual(Array(7).fill('done'));
  expect(await receive.getByTestId('receive-status').innerText()).toBe(en.renewalReceive.done);
  expect(shim.padPending()).toEqual([]);
  expect(objectIds(card, 'privkey')).toHaveLength(keysBefore.length + 1);
  await page.close();
}, 180_000);
