/** The PIN screen in web mode over SoftHSM tokens behind the card shim, as the PIN e2e tests open it. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import type { CardShim } from '../pkcs11-card-shim/card-shim.js';
import { createSoftHsm, type SoftHsm } from '../softhsm.js';
import { launchBrowser } from './browser.js';
import { startWebMode, type WebMode } from './web-mode.js';

export interface PinScreen {
  web: WebMode;
  page: Page;
  /** Where the forms say how the last try ended. */
  outcome(): Locator;
  /** Picks the card whose option starts with this label. */
  chooseCard(label: string): Promise<void>;
  /** Whether pkcs11-tool logs in with this PIN (through the shim: a wrong PIN costs a try, as on a card). */
  loginWorks(label: string, pin: string): boolean;
  close(): Promise<void>;
}

/** Starts web mode on the shim's module (English), opens it in Chromium and goes to the PIN screen. */
export async function openPinScreen(shim: CardShim): Promise<PinScreen> {
  const appData = mkdtempSync(join(tmpdir(), 'obnova-e2e-pin-'));
  const web = await startWebMode({ env: { ...shim.env, LANG: 'en_GB.UTF-8', OBNOVA_APP_DATA: appData }, args: ['--module', shim.modulePath] });
  const browser = await launchBrowser();
  const page = await browser.browser.newPage({ viewport: { width: 1000, height: 900 } });
  await page.goto(web.url);
  await page.getByRole('button', { name: 'PIN', exact: true }).click();
  return {
    web,
    page,
    outcome: () => page.getByTestId('pin-outcome'),
    async chooseCard(label) {
      const select = page.getByLabel('Card');
      await select.locator('option').first().waitFor({ state: 'attached', timeout: 20_000 });
      const options = await select.locator('option').allInnerTexts();
      const text = options.find((o) => o.startsWith(`${label} (`));
      if (!text) throw new Error(`no card ${label} among ${options.join(', ')}`);
      await select.selectOption({ label: text });
    },
    loginWorks(label, pin) {
      try {
        shim.pkcs11Tool(['--token-label', label, '--login', '--pin', pin, '--list-objects']);
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      await browser.close();
      await web.stop();
      rmSync(appData, { recursive: true, force: true });
    },
  };
}

/** The PIN screen for one test file: `cards` makes the SoftHSM tokens and the shim in front of them; torn down after the file. */
export function usePinScreen(cards: (hsm: SoftHsm) => CardShim): { readonly screen: PinScreen; readonly page: Page; readonly shim: CardShim } {
  let hsm: SoftHsm | undefined;
  let shim: CardShim | undefined;
  let screen: PinScreen | undefined;
  beforeAll(async () => {
    hsm = createSoftHsm();
    shim = cards(hsm);
    screen = await openPinScreen(shim);
  });
  afterAll(async () => {
    await screen?.close();
    hsm?.cleanup();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the PIN screen has not started');
    return value;
  };
  return {
    get screen() {
      return started(screen);
    },
    get page() {
      return started(screen).page;
    },
    get shim() {
      return started(shim);
    },
  };
}
