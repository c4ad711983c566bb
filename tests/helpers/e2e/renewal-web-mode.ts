/** Web mode as the renewal e2e tests run it: SoftHSM cards, the test CA trusted, its service (or a proxy) configured. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toPem } from '../../../src-shared/pki/pem.js';
import { softhsmModule, type CaProcess } from '../../integration/renewal-app/ca-process.js';
import { startWebMode, type WebMode } from './web-mode.js';

/** Starts out/main/web.js with `appData` as its app data (kept across restarts) in English. */
export function startRenewalWebMode(ca: CaProcess, appData: string, serviceUrl = ca.url): Promise<WebMode> {
  mkdirSync(join(appData, 'trust'), { recursive: true });
  writeFileSync(join(appData, 'trust', 'ca.pem'), toPem(ca.root.der, 'CERTIFICATE') + toPem(ca.issuing.der, 'CERTIFICATE'));
  return startWebMode({ env: { ...process.env, OBNOVA_APP_DATA: appData, OBNOVA_SERVICE_URL: serviceUrl, LANG: 'en_GB.UTF-8' }, args: ['--module', softhsmModule] });
}
