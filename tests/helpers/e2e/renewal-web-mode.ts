/**
 * Web mode as the renewal e2e tests run it: SoftHSM cards issued by the test CA (obnova-ca in child
 * processes), the CA trusted, its service — or a proxy in front of it — configured, Chromium to drive it.
 * With `pinPad`, the app reaches the cards through the card shim, every one in a PIN-pad reader.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { toPem } from '../../../src-shared/pki/pem.js';
import type { Holder } from '../../integration/renewal-app/app-fixture.js';
import { softhsmModule, startCaProcess, type CaProcess, type IssuedCard } from '../../integration/renewal-app/ca-process.js';
import { type CardShim, type CardShimOptions, createCardShim } from '../pkcs11-card-shim/card-shim.js';
import { startServiceProxy, type Intercept, type ServiceProxy } from '../service/service-proxy.js';
import { useSoftHsmEnv } from '../service/softhsm-env.js';
import { artifactsDir, launchBrowser } from './browser.js';
import { startWebMode, type WebMode } from './web-mode.js';

/** Starts out/main/web.js with `appData` as its app data (kept across restarts) in English; on SoftHSM, or through `shim`. */
export function startRenewalWebMode(ca: CaProcess, appData: string, serviceUrl = ca.url, shim: CardShim | null = null): Promise<WebMode> {
  mkdirSync(join(appData, 'trust'), { recursive: true });
  writeFileSync(join(appData, 'trust', 'ca.pem'), toPem(ca.root.der, 'CERTIFICATE') + toPem(ca.issuing.der, 'CERTIFICATE'));
  return startWebMode({
    env: { ...process.env, ...shim?.env, OBNOVA_APP_DATA: appData, OBNOVA_SERVICE_URL: serviceUrl, LANG: 'en_GB.UTF-8' },
    args: ['--module', shim?.modulePath ?? softhsmModule],
  });
}

export interface RenewalWeb {
  ca: CaProcess;
  /** The cards issued before web mode started, in the order asked for. */
  cards: IssuedCard[];
  proxy: ServiceProxy | null;
  /** The card shim in front of SoftHSM (`pinPad`: every card in a PIN-pad reader), else null. */
  shim: CardShim | null;
  web: WebMode;
  browser: Browser;
  /** A folder of the test's own; the app data is `work/app-data`. */
  work: string;
  appData: string;
  /** Starts web mode again on the same app data (after the last one stopped or was killed). */
  restartWeb(): Promise<WebMode>;
}

/**
 * Call at the top of a test file (SoftHSM reads its configuration once per process). Registers the
 * beforeAll/afterAll that start and stop everything; the fields are set once beforeAll has run.
 * `intercept` puts a service proxy between the app and the service; `pinPad` puts the cards in PIN-pad readers;
 * `shim` puts them behind the card shim with these options (a PIN retry counter, as on a card).
 */
export function useRenewalWeb(prefix: string, options: { holders: Holder[]; cards: Array<[holderId: string, tokenLabel: string]>; intercept?: Intercept; pinPad?: boolean; shim?: CardShimOptions }): RenewalWeb {
  const hsm = useSoftHsmEnv(prefix);
  const e2e = { cards: [] as IssuedCard[], proxy: null, shim: null } as unknown as RenewalWeb;
  const serviceUrl = (): string => e2e.proxy?.url ?? e2e.ca.url;
  e2e.restartWeb = async () => (e2e.web = await startRenewalWebMode(e2e.ca, e2e.appData, serviceUrl(), e2e.shim));
  beforeAll(async () => {
    mkdirSync(artifactsDir, { recursive: true });
    e2e.ca = await startCaProcess();
    for (const holder of options.holders) await e2e.ca.addHolder(...holder);
    for (const [holderId, tokenLabel] of options.cards) e2e.cards.push(await e2e.ca.issueCard(holderId, tokenLabel));
    if (options.intercept) e2e.proxy = await startServiceProxy(e2e.ca.url, options.intercept);
    const shimOptions = options.pinPad ? { ...options.shim, pinPad: 'all' as const } : options.shim;
    if (shimOptions) e2e.shim = createCardShim({ dir: hsm.dir, env: { SOFTHSM2_CONF: hsm.conf }, modulePath: softhsmModule }, shimOptions);
    e2e.work = mkdtempSync(join(tmpdir(), prefix));
    e2e.appData = join(e2e.work, 'app-data');
    await e2e.restartWeb();
    e2e.browser = (await launchBrowser()).browser;
  }, 240_000);
  afterAll(async () => {
    await e2e.browser?.close();
    await e2e.web?.stop();
    await e2e.proxy?.close();
    await e2e.ca?.cleanup();
    if (e2e.work) rmSync(e2e.work, { recursive: true, force: true });
    hsm.cleanup();
  });
  return e2e;
}

/** Two natural-person holders, each with one card: Ana's first, then Marko's. */
export const anaAndMarko: { holders: Holder[]; cards: Array<[holderId: string, tokenLabel: string]> } = {
  holders: [
    ['H1', 'Ana', 'Novak', '0101990500123'],
    ['H2', 'Marko', 'Horvat', '0202985500456'],
  ],
  cards: [
    ['H1', 'Ana kartica'],
    ['H2', 'Marko card'],
  ],
};

/**
 * Opens the app (English) on Renewal and checks a certificate: the one on the card labelled `tokenLabel`,
 * else the preselected one. Returns once the checklist is shown.
 */
export async function checkCertificate(page: Page, url: string, tokenLabel?: string): Promise<void> {
  await page.goto(url);
  await page.getByRole('button', { name: 'Renewal', exact: true }).click();
  const picker = page.getByTestId('certificate-picker');
  await picker.waitFor({ timeout: 20_000 });
  if (tokenLabel) await picker.selectOption((await picker.locator('option', { hasText: tokenLabel }).getAttribute('value'))!);
  await page.getByTestId('renewal-check').click();
  await page.getByTestId('renewal-result').waitFor({ timeout: 30_000 });
}

/** Checks the certificate (as `checkCertificate`) and continues to the Submit form. */
export async function openSubmitForm(page: Page, url: string, tokenLabel?: string): Promise<void> {
  await checkCertificate(page, url, tokenLabel);
  await page.getByTestId('renewal-continue').click();
  await page.getByTestId('submit-form').waitFor({ timeout: 20_000 });
}

/** Fills the (English) Submit form's billing address in Ljubljana and the invoice e-mail, and confirms the data. */
export async function fillBilling(page: Page): Promise<void> {
  await page.getByLabel('Street and number').fill('Trubarjeva 5');
  await page.getByLabel('Postal code').fill('1000');
  await page.getByLabel('City').fill('Ljubljana');
  await page.getByTestId('billing-country').selectOption('SI');
  await page.getByLabel('E-mail for the invoice and notices').fill('holder@example.si');
  await page.getByTestId('submit-confirm').check();
}
