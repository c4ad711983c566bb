/**
 * What the renewal-app tests share: a SoftHSM store of the test file's own, the CA in child processes
 * with its holders, and the app's token service and order store over a fresh app data folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createOrderStore, type OrderStore } from '../../../src-main/orders/order-store.js';
import { resolveModule } from '../../../src-main/token/module-resolver.js';
import { createTokenService, type TokenService } from '../../../src-main/token/token-service.js';
import { useSoftHsmEnv } from '../../helpers/service/softhsm-env.js';
import { softhsmModule, startCaProcess, type CaProcess } from './ca-process.js';

export interface RenewalApp {
  ca: CaProcess;
  tokens: TokenService;
  store: OrderStore;
  appData: string;
}

/** A natural-person holder: id, given name, surname, personal number. */
export type Holder = [id: string, givenName: string, surname: string, personalNumber: string];

/**
 * Call at the top of a test file (SoftHSM reads its configuration once per process, before any module
 * loads). Registers the beforeAll/afterAll that start and stop everything; the fields are set once
 * beforeAll has run.
 */
export function useRenewalApp(prefix: string, options: { holders: Holder[]; ca?: Parameters<typeof startCaProcess>[0] }): RenewalApp {
  const hsm = useSoftHsmEnv(prefix);
  const app = {} as RenewalApp;
  beforeAll(async () => {
    app.ca = await startCaProcess(options.ca);
    for (const holder of options.holders) await app.ca.addHolder(...holder);
    app.tokens = createTokenService({ module: resolveModule({ argument: softhsmModule, env: process.env }) });
    app.appData = mkdtempSync(join(tmpdir(), 'obnova-app-data-'));
    app.store = createOrderStore(app.appData);
  }, 180_000);
  afterAll(async () => {
    await app.tokens?.close();
    await app.ca?.cleanup();
    if (app.appData) rmSync(app.appData, { recursive: true, force: true });
    hsm.cleanup();
  });
  return app;
}
