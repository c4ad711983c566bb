/**
 * What the OpenSC renewal tests share: one OpenSC world (pcscd + vpcd + IsoApplet emulator) and the CA in
 * child processes, and the app's own CLI (`obnova`, src-main/cli.ts) run against OpenSC's PKCS#11 module
 * with the world's PC/SC socket and opensc.conf — the same code the app runs, in its own process, as a
 * holder's computer would load the middleware.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { toPem } from '../../../src-shared/pki/pem.js';
import { createOpenscWorld, openscModule, type OpenscCard, type OpenscWorld } from '../../helpers/opensc-world.js';
import type { CliRun } from '../../helpers/service/ca-cli.js';
import { useSoftHsmEnv } from '../../helpers/service/softhsm-env.js';
import type { Holder } from '../renewal-app/app-fixture.js';
import { startCaProcess, type CaProcess } from '../renewal-app/ca-process.js';

const root = join(import.meta.dirname, '..', '..', '..');
/** The built CLI (npm test builds first): ~1 s a run where tsx compiling src-main/cli.ts takes ~8 s. */
const builtCli = join(root, 'out', 'main', 'cli.js');

export interface OpenscApp {
  world: OpenscWorld;
  card: OpenscCard & { image: string };
  ca: CaProcess;
  work: string;
  env: NodeJS.ProcessEnv;
  /** `obnova ARGS` (out/main/cli.js) with stdin, against OpenSC in this world. */
  obnova(args: string[], stdin?: string): Promise<CliRun>;
}

/**
 * Registers beforeAll/afterAll: the world with a blank card inserted, the CA with `holders` (none: no CA,
 * which takes ~30 s to set up), an app data folder trusting the CA.
 */
export function useOpenscApp(holders: Holder[]): OpenscApp {
  const hsm = useSoftHsmEnv('obnova-opensc-ca-');
  const app = {} as OpenscApp;
  beforeAll(async () => {
    if (!existsSync(builtCli)) throw new Error('out/main/cli.js is missing: run `npm run build` first (npm test does)');
    app.world = await createOpenscWorld();
    app.card = await app.world.insertCard();
    app.work = mkdtempSync(join(tmpdir(), 'obnova-opensc-app-'));
    const appData = join(app.work, 'app-data');
    mkdirSync(join(appData, 'trust'), { recursive: true });
    app.env = { ...app.world.env, OBNOVA_PKCS11_MODULE: openscModule, OBNOVA_APP_DATA: appData, LANG: 'en_GB.UTF-8' };
    if (holders.length > 0) {
      app.ca = await startCaProcess();
      for (const holder of holders) await app.ca.addHolder(...holder);
      writeFileSync(join(appData, 'trust', 'test-ca.pem'), toPem(app.ca.root.der, 'CERTIFICATE') + toPem(app.ca.issuing.der, 'CERTIFICATE'));
      app.env.OBNOVA_SERVICE_URL = app.ca.url;
    }
    app.obnova = (args, stdin = '') =>
      new Promise((resolve) => {
        const child = spawn(process.execPath, [builtCli, ...args], { cwd: root, env: app.env, stdio: ['pipe', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
        child.stdin.end(stdin);
      });
  }, 180_000);
  afterAll(async () => {
    await app.ca?.cleanup();
    await app.world?.close();
    if (app.work) rmSync(app.work, { recursive: true, force: true });
    hsm.cleanup();
  });
  return app;
}
