/**
 * The holder's first renewal in web mode, in Slovenian and in English, on cards issued by the real CA
 * (obnova-ca in child processes): Order (checklist), Submit (billing, PIN, signed on the card), Track
 * (paid), Receive (new key + certificate on the same SoftHSM token), Export (a DER download). Checked
 * from outside with pkcs11-tool and openssl verify; screenshots of each step in tests/e2e/artifacts/.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConsoleMessage, Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { toPem } from '../../src-shared/pki/pem.js';
import { artifactsDir } from '../helpers/e2e/browser.js';
import { focusedTestId } from '../helpers/e2e/focus.js';
import { zbarDecodePng } from '../helpers/renewal/zbar.js';
import { anaAndMarko, useRenewalWeb } from '../helpers/e2e/renewal-web-mode.js';
import { objectIds } from '../integration/renewal-app/card-reader.js';

const e2e = useRenewalWeb('obnova-e2e-renewal-', anaAndMarko);

const words = {
  sl: { nav: 'Obnova', orders: 'Moja naročila', export: 'Shrani kopijo', street: 'Ulica in hišna številka', postal: 'Poštna številka', city: 'Kraj', email: 'E-pošta za račun in obvestila', eligible: 'To potrdilo lahko obnovite prek spleta.', path: 'Novo potrdilo na isti kartici', validity: /^od \d+\. \S+ \d{4} do \d+\. \S+ \d{4}$/ },
  en: { nav: 'Renewal', orders: 'My orders', export: 'Save a copy', street: 'Street and number', postal: 'Postal code', city: 'City', email: 'E-mail for the invoice and notices', eligible: 'This certificate can be renewed online.', path: 'New certificate on this same card', validity: /^from \d+ \S+ \d{4} to \d+ \S+ \d{4}$/ },
} as const;

async function journey(page: Page, lang: 'sl' | 'en'): Promise<void> {
  const w = words[lang];
  const card = e2e.cards[lang === 'sl' ? 0 : 1]!;
  const holderName = lang === 'sl' ? 'Ana Novak' : 'Marko Horvat';
  const keysBefore = objectIds(card, 'privkey');
  const certsBefore = objectIds(card, 'cert');
  await page.goto(e2e.web.url);
  await page.getByLabel(/language|jezik|језик/i).selectOption(lang);
  await expect.poll(() => page.locator('html').getAttribute('lang'), { timeout: 10_000 }).toBe(lang);

  // Order: pick the card's certificate (the other card is there too) and check it.
  await page.getByRole('button', { name: w.nav, exact: true }).click();
  const picker = page.getByTestId('certificate-picker');
  await picker.waitFor({ timeout: 20_000 });
  const option = picker.locator('option', { hasText: card.tokenLabel });
  await picker.selectOption((await option.getAttribute('value'))!);
  await page.getByTestId('renewal-check').click();
  await page.getByTestId('renewal-result').waitFor({ timeout: 30_000 });
  expect(await page.getByTestId('check-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status')))).toEqual(Array(7).fill('pass'));
  expect(await page.getByTestId('renewal-verdict').innerText()).toContain(w.eligible);
  expect(Number(await page.getByTestId('days-to-expiry').getAttribute('data-days'))).toBeGreaterThan(300);
  expect(await currentStep(page.locator('body'))).toBe('order');
  // Focus moved to the result (the verdict), not left on the page body.
  expect(await focusedTestId(page)).toBe('renewal-verdict');
  await page.screenshot({ path: join(artifactsDir, `renewal-1-order-${lang}.png`), fullPage: true });

  // Submit: billing typed, data confirmed, PIN, signed on the card.
  await page.getByTestId('renewal-continue').click();
  await page.getByTestId('submit-form').waitFor({ timeout: 20_000 });
  expect(await currentStep(page.locator('body'))).toBe('submit');
  await page.getByTestId('submit-sign').click();
  expect(await page.locator('[aria-invalid="true"]').count()).toBeGreaterThan(0);
  // Focus on the first thing to fix: the confirmation comes first on the form.
  await expect.poll(() => focusedTestId(page)).toBe('submit-confirm');
  expect(await page.getByTestId('confirm-data').innerText()).toMatch(lang === 'sl' ? /Ime in priimek\s+Ana Novak/ : /Name\s+Marko Horvat/);
  await page.getByLabel(w.street).fill('Trubarjeva 5');
  await page.getByLabel(w.postal).fill('1000');
  await page.getByLabel(w.city).fill('Ljubljana');
  await page.getByTestId('billing-country').selectOption('SI');
  await page.getByLabel(w.email).fill('holder@example.si');
  await page.getByTestId('submit-confirm').check();
  await page.getByTestId('submit-pin').fill(card.pin);
  await page.screenshot({ path: join(artifactsDir, `renewal-2-submit-${lang}.png`), fullPage: true });
  await page.getByTestId('submit-sign').click();

  // Track: the order appears; paid at the CA; the status follows.
  const order = page.getByTestId('order-card').first();
  await order.waitFor({ timeout: 30_000 });
  const orderId = (await order.getAttribute('data-order'))!;
  // My orders opens with focus on the order just placed.
  await expect.poll(() => focusedTestId(page)).toBe('order-heading');
  await expect.poll(() => order.getAttribute('data-status')).toBe('awaiting-payment');
  await page.screenshot({ path: join(artifactsDir, `renewal-3-track-${lang}.png`), fullPage: true });
  // The order says whom and which card it is for, in words, and the payment details sit beside the QR.
  expect(await currentStep(order)).toBe('pay');
  expect(await order.getByTestId('order-holder').innerText()).toBe(holderName);
  expect(await order.getByTestId('order-card-name').innerText()).toContain(card.tokenLabel);
  expect(await order.getByTestId('order-path').innerText()).toBe(w.path);
  expect(await order.innerText()).not.toContain('existing-media');
  expect(await order.getByTestId('payment-payee').innerText()).toBeTruthy();
  expect(await order.getByTestId('payment-account').innerText()).toMatch(/^SI\d{2}( \d{4})+/);
  // The payment QR drawn by the window decodes (zbarimg) to a UPN QR carrying the invoice's reference.
  const qr = zbarDecodePng(await order.getByTestId('payment-qr').screenshot()).toString('utf8'); // zbar applies the ECI (ISO 8859-2) and returns UTF-8
  const reference = /SI12\s?\d+/.exec(await order.innerText())![0].replace(/\s/g, '');
  expect(qr.startsWith('UPNQR')).toBe(true);
  expect(qr.replace(/\s/g, '')).toContain(reference);
  expect(await order.getByTestId('payment-reference').innerText()).toBe(reference);
  expect(qr.replace(/\s/g, '')).toContain((await order.getByTestId('payment-account').innerText()).replace(/\s/g, ''));
  await previewInvoice(page, order, lang, reference);
  await e2e.ca.markPaid(orderId);
  await page.getByTestId('orders-refresh').click();
  await expect.poll(() => page.locator(`[data-order="${orderId}"]`).getAttribute('data-status'), { timeout: 20_000 }).toBe('ready-for-pickup');

  // Receive: the card is still unlocked from the Submit of this sitting, so no second PIN entry; each step reported.
  const receive = page.locator(`[data-order="${orderId}"]`).getByTestId('receive-panel');
  await receive.getByTestId('receive-pin-sitting').waitFor({ timeout: 20_000 });
  await receive.getByTestId('receive-start').click();
  await expect.poll(() => page.locator(`[data-order="${orderId}"]`).getAttribute('data-status'), { timeout: 60_000 }).toBe('completed');
  expect(await receive.getByTestId('receive-step').evaluateAll((steps) => steps.map((s) => s.getAttribute('data-state')))).toEqual(Array(7).fill('done'));
  // The finish: focus moved to it, the last step current, the new certificate's holder, validity and serial, the next steps.
  const done = page.locator(`[data-order="${orderId}"]`);
  const completion = done.getByTestId('completion-view');
  await expect.poll(() => focusedTestId(page)).toBe('completion-heading');
  expect(await currentStep(done)).toBe('save');
  expect(await completion.getByTestId('completion-holder').innerText()).toBe(holderName);
  expect(await completion.getByTestId('completion-validity').innerText()).toMatch(w.validity);
  expect(await completion.getByTestId('completion-next').locator('li').count()).toBe(3);
  const [sheet] = await Promise.all([page.waitForEvent('download'), completion.getByTestId('completion-save-pdf').click()]);
  expect(sheet.suggestedFilename()).toMatch(/\.pdf$/);
  await completion.getByTestId('completion-save-status').filter({ hasText: sheet.suggestedFilename() }).waitFor();
  await page.screenshot({ path: join(artifactsDir, `renewal-4-receive-${lang}.png`), fullPage: true });
  const newSerialShown = (await completion.getByTestId('completion-serial').getAttribute('data-serial'))!;
  // The Cards screen marks the old certificate as replaced (no expiry countdown); the new one is not.
  await page.locator('.app-nav__item').first().click();
  const rows = page.locator(`[data-testid="certificate-row"]`);
  await expect.poll(() => page.locator('[data-testid="certificate-row"][data-replaced="true"]').count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
  const replacedSerials = await page.locator('[data-testid="certificate-row"][data-replaced="true"]').evaluateAll((r) => r.map((e) => e.getAttribute('data-serial')));
  expect(replacedSerials).not.toContain(newSerialShown);
  expect(await rows.count()).toBeGreaterThan(replacedSerials.length);
  await page.screenshot({ path: join(artifactsDir, `renewal-4-cards-replaced-${lang}.png`), fullPage: true });

  // From outside the app: a new key and a new certificate sharing its ID; the old certificate kept.
  const keysAfter = objectIds(card, 'privkey');
  const newKey = keysAfter.find((id) => !keysBefore.includes(id))!;
  expect(keysAfter).toHaveLength(keysBefore.length + 1);
  expect(objectIds(card, 'cert')).toEqual(expect.arrayContaining([...certsBefore, newKey]));

  // Export: the new certificate as a DER download, checked by openssl verify.
  await page.getByRole('button', { name: w.export, exact: true }).click();
  const exportPicker = page.getByTestId('certificate-picker');
  await exportPicker.waitFor({ timeout: 20_000 });
  const newest = exportPicker.locator('option', { hasText: card.tokenLabel });
  const values = await newest.evaluateAll((options) => options.map((o) => o.getAttribute('value') ?? ''));
  const fresh = values.find((v) => v.split(':')[1] === newKey)!;
  await exportPicker.selectOption(fresh);
  await page.getByTestId('export-format-der').check();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-save').click()]);
  const der = join(e2e.work, `${lang}-${download.suggestedFilename()}`);
  await download.saveAs(der);
  await page.getByTestId('export-status').filter({ hasText: download.suggestedFilename() }).waitFor();
  await page.screenshot({ path: join(artifactsDir, `renewal-5-export-${lang}.png`), fullPage: true });
  const pem = join(e2e.work, `${lang}-new.pem`);
  writeFileSync(pem, toPem(new Uint8Array(readFileSync(der)), 'CERTIFICATE'));
  writeFileSync(join(e2e.work, 'ca.pem'), toPem(e2e.ca.root.der, 'CERTIFICATE') + toPem(e2e.ca.issuing.der, 'CERTIFICATE'));
  const verify = spawnSync('openssl', ['verify', '-CAfile', join(e2e.work, 'ca.pem'), pem], { encoding: 'utf8' });
  expect(verify.stdout.trim(), verify.stderr).toBe(`${pem}: OK`);
  const serial = spawnSync('openssl', ['x509', '-in', pem, '-noout', '-serial'], { encoding: 'utf8' }).stdout.trim().replace(/^serial=0*/, '').toLowerCase();
  expect(newSerialShown.replace(/^0+/, '')).toBe(serial);
}

/** The step the indicator inside `scope` marks as current for assistive tech (aria-current="step"). */
async function currentStep(scope: Locator): Promise<string | null> {
  const indicator = scope.getByTestId('step-indicator');
  const marked = indicator.locator('[aria-current="step"]');
  expect(await marked.count()).toBe(1);
  expect(await marked.getAttribute('data-step')).toBe(await indicator.getAttribute('data-current'));
  return marked.getAttribute('data-step');
}

/**
 * The invoice preview, opened from the keyboard: pdf.js, in a worker, draws the service's PDF on the canvas
 * (ink on the page, text in its heading band), the canvas is named for the invoice and described by the
 * PDF's own text, and nothing in it trips the CSP. Closes it again.
 */
async function previewInvoice(page: Page, order: Locator, lang: 'sl' | 'en', reference: string): Promise<void> {
  const refused: string[] = [];
  const listen = (m: ConsoleMessage): void => void (/Content Security Policy|fake worker/i.test(m.text()) && refused.push(m.text()));
  page.on('console', listen);
  const toggle = order.getByTestId('invoice-preview-toggle');
  await toggle.focus();
  await page.keyboard.press('Enter');
  expect(await toggle.getAttribute('aria-expanded')).toBe('true');
  const canvas = order.getByTestId('invoice-preview-page');
  await expect.poll(() => canvas.getAttribute('data-drawn'), { timeout: 20_000 }).toBe('true');

  const ink = await canvas.evaluate((el) => {
    const c = el as unknown as { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } };
    const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
    // Dark pixels over the page, and over its top fifth alone (payee and title: text only, no QR there).
    let page = 0;
    let heading = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i]! < 128 && data[i + 1]! < 128 && data[i + 2]! < 128) {
        page++;
        if (i / 4 < c.width * Math.floor(c.height / 5)) heading++;
      }
    }
    return { width: c.width, height: c.height, page, heading };
  });
  expect(ink.height / ink.width).toBeCloseTo(841.89 / 595.28, 1);
  expect(ink.page, 'ink on the page').toBeGreaterThan(ink.width * ink.height * 0.01);
  expect(ink.heading, 'text drawn in the heading band').toBeGreaterThan(500);

  // The PDF's own text (read by pdf.js) names the invoice and its reference; the canvas's name says the same number.
  const text = (await order.getByTestId('invoice-preview-text').textContent()) ?? '';
  const number = /PREDRAČUN (\S+)/.exec(text)?.[1];
  expect(number, text).toBeTruthy();
  expect(text.replace(/\s/g, '')).toContain(reference);
  expect(await order.innerText()).toContain(number!);
  expect(await canvas.getAttribute('role')).toBe('img');
  expect(await canvas.getAttribute('aria-label')).toBe(lang === 'sl' ? `Predračun ${number}, stran 1 od 1` : `Pro-forma invoice ${number}, page 1 of 1`);
  // Parsed in pdf.js's module worker, served from the window's own origin.
  expect(page.workers().map((w) => w.url())).toEqual(expect.arrayContaining([expect.stringMatching(/\/assets\/pdf\.worker[^/]*\.mjs$/)]));
  await page.screenshot({ path: join(artifactsDir, `renewal-3-invoice-${lang}.png`), fullPage: true });

  await page.keyboard.press('Enter');
  expect(await toggle.getAttribute('aria-expanded')).toBe('false');
  expect(await canvas.count()).toBe(0);
  page.off('console', listen);
  expect(refused).toEqual([]);
}

describe('renewal journey in web mode', () => {
  it('Slovenian: order, submit, track, receive on the same card, export', async () => {
    const page = await e2e.browser.newPage({ viewport: { width: 1100, height: 900 }, acceptDownloads: true });
    await journey(page, 'sl');
    await page.close();
  }, 240_000);

  it('English: the same journey on the second card', async () => {
    const page = await e2e.browser.newPage({ viewport: { width: 1100, height: 900 }, acceptDownloads: true });
    await journey(page, 'en');
    await page.close();
  }, 240_000);
});
