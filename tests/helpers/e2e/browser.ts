/** Debian's Chromium driven by playwright-core, with the flags that work as root on a closed network. */
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export const chromiumPath = process.env.OBNOVA_CHROMIUM ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<{ browser: Browser; close(): Promise<void> }> {
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  return {
    browser,
    // playwright gives every launch a fresh temporary profile of its own and removes it on close.
    close: () => browser.close(),
  };
}

export const artifactsDir = join(import.meta.dirname, '../../e2e/artifacts');
