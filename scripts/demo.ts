/**
 * `npm run demo`: demo cards in a private SoftHSM and the app opened on them — Electron where its
 * binary exists, else web mode in the browser. Prints the address and the demo PINs.
 * `--check` starts everything, asks the running app for its cards once, and exits (used by a test).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { addKeyAndCertificate, createSoftHsm, createTestCa } from '../tests/helpers/softhsm.js';
import { startWebMode } from '../tests/helpers/e2e/web-mode.js';
import { installedElectronBinary } from './electron-binary.js';

const root = join(import.meta.dirname, '..');
const check = process.argv.includes('--check');
const day = 86_400_000;

function step(text: string): void {
  console.log(`• ${text}`);
}

function ensureSystemPackages(): void {
  const setup = spawnSync('bash', [join(root, 'scripts/setup-system')], { stdio: 'inherit' });
  if (setup.status !== 0) throw new Error('system packages are missing (see above)');
}

function ensureBuilt(): void {
  // The check runs inside the test suite, next to tests that use out/: never rebuild under them.
  if (check && existsSync(join(root, 'out/main/web.js')) && existsSync(join(root, 'out/renderer/index.html'))) return;
  step('Building the app');
  const built = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: check ? 'ignore' : 'inherit' });
  if (built.status !== 0) throw new Error('the build failed');
}

async function main(): Promise<void> {
  ensureSystemPackages();
  ensureBuilt();

  step('Making demo cards in a private SoftHSM');
  const hsm = createSoftHsm({ setProcessEnv: false });
  const ca = await createTestCa({ name: 'Obnova Demo Qualified CA' });
  const now = Date.now();
  const cards = [
    { label: 'Demo valid', holder: 'Ana Novak', pin: '1111', days: 900, qualified: true },
    { label: 'Demo expiring', holder: 'Marko Horvat', pin: '2222', days: 25, qualified: true },
    { label: 'Demo expired', holder: 'Jelena Petrović', pin: '3333', days: -12, qualified: true },
  ];
  for (const card of cards) {
    const token = hsm.createToken({ label: card.label, pin: card.pin });
    await addKeyAndCertificate(hsm, token, {
      id: '01',
      label: card.holder,
      ca,
      subject: { commonName: card.holder, country: card.label === 'Demo expired' ? 'RS' : 'SI' },
      qualified: card.qualified,
      notBefore: new Date(now - (1825 - card.days) * day),
      notAfter: new Date(now + card.days * day),
    });
  }

  const cleanup = (): void => hsm.cleanup();
  const binary = check ? undefined : installedElectronBinary(root);
  if (binary) {
    step('Opening the Obnova window');
    const child = spawn(binary, [root, '--module', hsm.modulePath], { stdio: 'inherit', env: hsm.env });
    child.on('exit', (code) => (cleanup(), process.exit(code ?? 0)));
    return;
  }

  if (!check) console.log('\nThe Electron binary is not installed here, so the demo runs in web mode: the same app, in your browser.');
  const web = await startWebMode({ env: hsm.env, args: ['--module', hsm.modulePath] });
  console.log(`\nObnova is running. Open:\n  ${web.url}\n`);
  console.log('Demo cards (PIN):');
  for (const card of cards) console.log(`  ${card.label.padEnd(15)} ${card.holder.padEnd(17)} PIN ${card.pin}  SO PIN 12345678`);

  if (check) {
    const answer = await fetch(`${web.origin}/bridge/call/tokens.list`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${new URL(web.url).hash.slice('#token='.length)}`, 'Content-Type': 'application/json' },
      body: '{}',
    }).then((r) => r.json() as Promise<{ ok: boolean; value?: { tokens: unknown[] } }>);
    await web.stop();
    cleanup();
    if (!answer.ok || answer.value?.tokens.length !== cards.length) throw new Error(`the running app did not see the demo cards: ${JSON.stringify(answer)}`);
    console.log(`demo check: the app sees ${cards.length} demo cards`);
    return;
  }

  if (process.env.DISPLAY || process.platform !== 'linux') spawn(process.platform === 'darwin' ? 'open' : 'xdg-open', [web.url], { stdio: 'ignore', detached: true }).on('error', () => undefined);
  console.log('\nPress Ctrl+C to stop.');
  const stop = async (): Promise<void> => {
    await web.stop();
    cleanup();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error(`demo: ${(error as Error).message}`);
  process.exit(1);
});
