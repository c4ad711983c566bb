/**
 * Issue 17, path 1: the order arrives at the service but its answer never comes back (the proxy passes each
 * POST /v1/orders on and then cuts the connection). The holder signs once: the signed order waits in the
 * app's outbox, My orders shows it as being sent (never "no orders"), and once answers come through again it
 * is sent unchanged and becomes the very order the service made from the first copy — no second signature.
 */
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { en } from '../../src-shared/i18n/messages/en.js';
import { srCyrl } from '../../src-shared/i18n/messages/sr-cyrl.js';
import { artifactsDir } from '../helpers/e2e/browser.js';
import { fillBilling, openSubmitForm, useRenewalWeb } from '../helpers/e2e/renewal-web-mode.js';

/** While true, orders reach the service and their answers are dropped. */
let loseAnswers = true;
/** The order ids the service answered with (read by the proxy before it drops the answer). */
const madeAtService: string[] = [];
let signedBodies = new Set<string>();

const e2e = useRenewalWeb('obnova-e2e-lost-answer-', {
  holders: [['H1', 'Ana', 'Novak', '0101990500123']],
  cards: [['H1', 'Ana kartica']],
  intercept: (req, res) => {
    if (req.method !== 'POST' || req.url !== '/v1/orders' || !loseAnswers) return false;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      signedBodies.add(body.toString('base64'));
      const url = new URL('/v1/orders', e2e.ca.url);
      const forward = httpRequest(url, { method: 'POST', headers: req.headers }, (answer) => {
        const got: Buffer[] = [];
        answer.on('data', (c: Buffer) => got.push(c));
        answer.on('end', () => {
          const orderId = (JSON.parse(Buffer.concat(got).toString('utf8')) as { orderId?: string }).orderId;
          if (orderId) madeAtService.push(orderId);
          res.socket?.destroy();
        });
      });
      forward.end(body);
    });
    return true;
  },
});

it('a lost answer: signed once, kept and shown as being sent, sent again unchanged, the same order as at the service', async () => {
  const card = e2e.cards[0]!;
  const page = await e2e.browser.newPage({ viewport: { width: 1000, height: 1300 } });
  await openSubmitForm(page, e2e.web.url);
  await fillBilling(page);
  await page.getByTestId('submit-pin').fill(card.pin);
  await page.getByTestId('submit-sign').click();

  // The app tries again after the cut connection; the holder stops it from the banner.
  await page.getByTestId('service-wait-cancel').click({ timeout: 30_000 });
  await page.getByTestId('submit-kept').waitFor({ timeout: 30_000 });
  expect(await page.getByTestId('submit-kept').innerText()).toContain(en.renewalSending.kept);
  expect(await page.getByTestId('submit-sign').isDisabled()).toBe(true);
  expect(madeAtService.length).toBeGreaterThan(0);
  // Every try carried the same signed bytes, and the service made one order of them.
  expect(signedBodies.size).toBe(1);
  expect(new Set(madeAtService).size).toBe(1);
  await page.screenshot({ path: join(artifactsDir, 'renewal-lost-answer-1-kept-en.png'), fullPage: true });

  // My orders: the order is there, being sent — not "no orders yet".
  await page.getByTestId('submit-show-orders').click();
  const sending = page.getByTestId('order-sending');
  await sending.waitFor({ timeout: 20_000 });
  expect(await page.getByText(en.renewalTrack.none).count()).toBe(0);
  await page.getByLabel(/language|jezik|језик/i).selectOption('sr-Cyrl');
  await expect.poll(() => sending.locator('h2').innerText()).toBe(srCyrl.renewalSending.heading);
  await page.screenshot({ path: join(artifactsDir, 'renewal-lost-answer-2-sending-sr-Cyrl.png'), fullPage: true });
  await page.getByLabel(/language|jezik|језик/i).selectOption('en');

  // Answers come through again: Send now delivers the same signed order, and the service names its first order.
  loseAnswers = false;
  await page.getByTestId('order-send-now').click();
  const order = page.getByTestId('order-card').first();
  await order.waitFor({ timeout: 30_000 });
  expect(await order.getAttribute('data-order')).toBe(madeAtService[0]);
  expect(await sending.count()).toBe(0);
  expect(await page.getByTestId('order-card').count()).toBe(1);
  await page.screenshot({ path: join(artifactsDir, 'renewal-lost-answer-3-order-en.png'), fullPage: true });
  signedBodies = new Set();
  await page.close();
}, 240_000);
