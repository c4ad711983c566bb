/**
 * Network trouble in the window: a service answering 503 with Retry-After shows what the app waits for
 * and then succeeds on its own; a service that keeps refusing can be stopped from the window.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { artifactsDir } from '../helpers/e2e/browser.js';
import { useRenewalWeb } from '../helpers/e2e/renewal-web-mode.js';

/** How many eligibility requests the proxy refuses with 503 + Retry-After before passing them on. */
let refuse = 0;
let retryAfter = '2';
const e2e = useRenewalWeb('obnova-e2e-network-', {
  holders: [['H1', 'Ana', 'Novak', '0101990500123']],
  cards: [['H1', 'Ana kartica']],
  intercept: (req, res) => {
    if (req.url !== '/v1/eligibility' || refuse <= 0) return false;
    refuse--;
    req.resume();
    res.writeHead(503, { 'content-type': 'application/problem+json', 'retry-after': retryAfter });
    res.end(JSON.stringify({ code: 'RENEWAL_OVERLOADED', title: 'busy', status: 503 }));
    return true;
  },
});
let page: Page;

beforeAll(async () => {
  page = await e2e.browser.newPage({ viewport: { width: 1100, height: 1000 } });
  await page.goto(e2e.web.url);
  await page.getByRole('button', { name: 'Renewal', exact: true }).click();
  await page.getByTestId('certificate-picker').waitFor({ timeout: 20_000 });
}, 60_000);

describe('network trouble', () => {
  it('503 with Retry-After: the window says what it waits for, then the check completes by itself', async () => {
    refuse = 2;
    retryAfter = '2';
    await page.getByTestId('renewal-check').click();
    const banner = page.getByTestId('service-wait');
    await banner.waitFor({ timeout: 20_000 });
    expect(await banner.getAttribute('data-operation')).toBe('eligibility');
    expect(await banner.getAttribute('data-reason')).toBe('RENEWAL_OVERLOADED');
    expect(await banner.innerText()).toContain('checking the certificate');
    await page.screenshot({ path: join(artifactsDir, 'renewal-network-waiting.png'), fullPage: true });
    await page.getByTestId('renewal-result').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('check-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status')))).toEqual(Array(7).fill('pass'));
    expect(refuse).toBe(0);
  }, 60_000);

  it('a service that keeps refusing: Stop trying ends the wait; the checklist says the issuer could not be asked', async () => {
    refuse = 1000;
    retryAfter = '20';
    await page.getByTestId('renewal-check').click();
    await page.getByTestId('service-wait').waitFor({ timeout: 20_000 });
    await page.getByTestId('service-wait-cancel').click();
    await page.getByTestId('renewal-result').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('service-problem').getAttribute('data-code')).toBe('CANCELLED');
    expect(await page.locator('[data-check="renewal-window"]').getAttribute('data-status')).toBe('unknown');
    await page.screenshot({ path: join(artifactsDir, 'renewal-network-cancelled.png'), fullPage: true });
    refuse = 0;
  }, 60_000);
});
