/**
 * Network trouble in the window: a service answering 503 with Retry-After shows what the app waits for
 * and then succeeds on its own; a service that keeps refusing can be stopped from the window.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toPem } from '../../src-shared/pki/pem.js';
import { artifactsDir, launchBrowser } from '../helpers/e2e/browser.js';
import { startWebMode, type WebMode } from '../helpers/e2e/web-mode.js';
import { useSoftHsmEnv } from '../helpers/service/softhsm-env.js';
import { softhsmModule, startCaProcess, type CaProcess } from '../integration/renewal-app/ca-process.js';

const hsm = useSoftHsmEnv('obnova-e2e-network-');
let ca: CaProcess;
let web: WebMode;
let proxy: Server;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
let work: string;
/** How many eligibility requests the proxy refuses with 503 + Retry-After before passing them on. */
let refuse = 0;
let retryAfter = '2';

beforeAll(async () => {
  mkdirSync(artifactsDir, { recursive: true });
  ca = await startCaProcess();
  await ca.addHolder('H1', 'Ana', 'Novak', '0101990500123');
  await ca.issueCard('H1', 'Ana kartica');
  const upstream = new URL(ca.url);
  proxy = createServer((req, res) => {
    if (req.url === '/v1/eligibility' && refuse > 0) {
      refuse--;
      req.resume();
      res.writeHead(503, { 'content-type': 'application/problem+json', 'retry-after': retryAfter });
      return void res.end(JSON.stringify({ code: 'RENEWAL_OVERLOADED', title: 'busy', status: 503 }));
    }
    const forward = httpRequest({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(forward);
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  work = mkdtempSync(join(tmpdir(), 'obnova-e2e-network-'));
  mkdirSync(join(work, 'trust'));
  writeFileSync(join(work, 'trust', 'ca.pem'), toPem(ca.root.der, 'CERTIFICATE') + toPem(ca.issuing.der, 'CERTIFICATE'));
  const serviceUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  web = await startWebMode({ env: { ...process.env, OBNOVA_APP_DATA: work, OBNOVA_SERVICE_URL: serviceUrl, LANG: 'en_GB.UTF-8' }, args: ['--module', softhsmModule] });
  browser = await launchBrowser();
  page = await browser.browser.newPage({ viewport: { width: 1100, height: 1000 } });
  await page.goto(web.url);
  await page.getByRole('button', { name: 'Renewal', exact: true }).click();
  await page.getByTestId('certificate-picker').waitFor({ timeout: 20_000 });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await web?.stop();
  proxy?.closeAllConnections();
  await new Promise((r) => proxy?.close(r));
  await ca?.cleanup();
  if (work) rmSync(work, { recursive: true, force: true });
  hsm.cleanup();
});

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
