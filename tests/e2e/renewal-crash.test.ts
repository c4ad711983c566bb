/**
 * The real headless main (out/main/web.js) SIGKILLed in the middle of a Receive started from the window:
 * after the new key was generated and before the certificate was written (the service's pickup held back
 * by a proxy). Restarted on the same app data, the order is still there and the Receive resumes to the
 * end with the same key — checked from outside with pkcs11-tool. The order is placed as a company,
 * with a wrong VAT number typed first to see the check as typed.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { artifactsDir } from '../helpers/e2e/browser.js';
import { openSubmitForm, useRenewalWeb } from '../helpers/e2e/renewal-web-mode.js';
import type { IssuedCard } from '../integration/renewal-app/ca-process.js';
import { listObjects, objectIds } from '../integration/renewal-app/card-reader.js';

/** While true the proxy keeps every pickup (POST /v1/orders/{id}/certificate) unanswered. */
let holdPickups = true;
const heldPickups: ServerResponse[] = [];
const e2e = useRenewalWeb('obnova-e2e-crash-', {
  holders: [['H1', 'Ana', 'Novak', '0101990500123']],
  cards: [['H1', 'Ana crash card']],
  intercept: (req, res) => {
    if (!holdPickups || req.method !== 'POST' || !/^\/v1\/orders\/[^/]+\/certificate$/.test(req.url ?? '')) return false;
    heldPickups.push(res);
    return true;
  },
});

interface JournalFile {
  steps: Record<string, { doneAt: string | null }>;
  key: { id: string } | null;
  resumes: number;
}
const journalOf = (orderId: string): JournalFile | null => {
  try {
    return JSON.parse(readFileSync(join(e2e.appData, 'journal', `receive-${orderId}.json`), 'utf8')) as JournalFile;
  } catch {
    return null;
  }
};

/** Order and Submit as a company: the VAT number is checked as it is typed, then corrected. */
async function orderAsCompany(page: Page, card: IssuedCard): Promise<string> {
  await openSubmitForm(page, e2e.web.url);

  await page.getByTestId('submit-buyer-company').check();
  await page.getByLabel('Company name').fill('Novak d.o.o.');
  await page.getByTestId('billing-street').fill('Trubarjeva 5');
  await page.getByTestId('billing-postal-code').fill('1000');
  await page.getByTestId('billing-city').fill('Ljubljana');
  await page.getByTestId('billing-country').selectOption('SI');
  const vat = page.getByTestId('billing-vat');
  const vatProblem = page.getByRole('alert').filter({ hasText: 'Enter the company’s VAT number, e.g. SI12345678.' });
  await vat.fill('SI12-34');
  await vatProblem.waitFor();
  expect(await vat.getAttribute('aria-invalid')).toBe('true');
  expect(await vat.getAttribute('aria-describedby')).toBe(await vatProblem.getAttribute('id'));
  await page.screenshot({ path: join(artifactsDir, 'renewal-crash-1-vat-invalid.png'), fullPage: true });
  await vat.fill('SI 1234 5678');
  await vatProblem.waitFor({ state: 'detached' });
  expect(await vat.getAttribute('aria-invalid')).toBeNull();
  await page.getByTestId('billing-email').fill('racuni@novak.si');
  await page.getByTestId('submit-confirm').check();
  await page.getByTestId('submit-pin').fill(card.pin);
  await page.getByTestId('submit-sign').click();

  const order = page.getByTestId('order-card').first();
  await order.waitFor({ timeout: 30_000 });
  return (await order.getAttribute('data-order'))!;
}

describe('Receive after the headless main was killed', () => {
  it('SIGKILL after key generation, before the write; restarted, the order resumes with the same key and no second one', async () => {
    const [card] = e2e.cards as [IssuedCard];
    const keysBefore = objectIds(card, 'privkey');
    const certsBefore = objectIds(card, 'cert');
    const page = await e2e.browser.newPage({ viewport: { width: 1100, height: 1000 } });
    const orderId = await orderAsCompany(page, card);
    const atCa = JSON.parse(await e2e.ca.run(['orders', 'show', orderId, '--json'])) as { billing: { name: string; vatId: string | null } };
    expect(atCa.billing).toMatchObject({ name: 'Novak d.o.o.', vatId: 'SI12345678' });

    await e2e.ca.markPaid(orderId);
    const order = page.locator(`[data-order="${orderId}"]`);
    await page.getByTestId('orders-refresh').click();
    await expect.poll(() => order.getAttribute('data-status'), { timeout: 20_000 }).toBe('ready-for-pickup');
    // Still unlocked from the Submit of this sitting: no PIN asked.
    await order.getByTestId('receive-pin-sitting').waitFor({ timeout: 20_000 });
    await order.getByTestId('receive-start').click();

    // The key is made and journalled, the CSR signed, the pickup sent and held: nothing more can happen.
    await expect.poll(() => heldPickups.length, { timeout: 60_000 }).toBe(1);
    const beforeKill = journalOf(orderId);
    expect(beforeKill?.steps.keygen?.doneAt).toBeTruthy();
    expect(beforeKill?.steps.write).toBeUndefined();
    await page.screenshot({ path: join(artifactsDir, 'renewal-crash-2-before-kill.png'), fullPage: true });
    const exited = new Promise((resolve) => e2e.web.process.once('exit', (_code, signal) => resolve(signal)));
    e2e.web.process.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    await page.close();

    const newKey = beforeKill!.key!.id;
    expect(objectIds(card, 'privkey')).toEqual(expect.arrayContaining([...keysBefore, newKey]));
    expect(objectIds(card, 'privkey')).toHaveLength(keysBefore.length + 1);
    expect(objectIds(card, 'cert')).toEqual(certsBefore);

    // Restart on the same app data; the service answers again.
    holdPickups = false;
    await e2e.restartWeb();
    const again = await e2e.browser.newPage({ viewport: { width: 1100, height: 1000 } });
    await again.goto(e2e.web.url);
    await again.getByRole('button', { name: 'My orders', exact: true }).click();
    const resumed = again.locator(`[data-order="${orderId}"]`);
    await expect.poll(() => resumed.getAttribute('data-status'), { timeout: 20_000 }).toBe('ready-for-pickup');
    // A new sitting after the restart: the PIN is asked again.
    await resumed.getByTestId('receive-pin').fill(card.pin);
    await resumed.getByTestId('receive-start').click();
    await expect.poll(() => resumed.getAttribute('data-status'), { timeout: 60_000 }).toBe('completed');
    // Every step shows done, keygen and csr from the run that was killed: the journal kept their times.
    expect(await resumed.getByTestId('receive-step').evaluateAll((steps) => steps.map((s) => s.getAttribute('data-state')))).toEqual(Array(7).fill('done'));
    const afterResume = journalOf(orderId)!;
    expect(afterResume.steps.keygen).toEqual(beforeKill!.steps.keygen);
    expect(afterResume.steps.csr).toEqual(beforeKill!.steps.csr);
    await again.screenshot({ path: join(artifactsDir, 'renewal-crash-3-resumed.png'), fullPage: true });
    await again.close();

    // From outside: one new key only, the new certificate under its ID, the old certificate kept.
    const keysAfter = objectIds(card, 'privkey');
    expect(keysAfter).toHaveLength(keysBefore.length + 1);
    expect(keysAfter).toEqual(expect.arrayContaining([...keysBefore, newKey]));
    expect(objectIds(card, 'cert')).toEqual(expect.arrayContaining([...certsBefore, newKey]));
    writeFileSync(join(artifactsDir, 'renewal-crash-pkcs11-tool.txt'), `${listObjects(card, 'privkey')}\n${listObjects(card, 'cert')}`);
    expect(afterResume).toMatchObject({ resumes: 1, key: { id: newKey } });
    expect(Object.values(afterResume.steps).every((s) => s.doneAt)).toBe(true);
  }, 240_000);
});
