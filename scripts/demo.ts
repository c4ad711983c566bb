/**
 * `npm run demo`: a demo CA (`obnova-ca init`, SI and RS), demo cards in SoftHSM in the states a
 * helpdesk meets, the renewal services with payments confirmed after a few seconds, and the app
 * opened on the cards (Electron where its binary exists, else web mode in the browser).
 * Prints the addresses, the cards with their PINs and PUKs, and the back office.
 *
 * `--check` does the same with free ports in a scratch folder (or `--dir`), verifies through the
 * app's bridge and the services that everything answers as it should, prints the summary, stops
 * everything and exits (used by tests/integration/demo/demo-check.test.ts).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openApp, prepareAppData, type RunningApp } from './demo/app.js';
import { checkDemo } from './demo/check.js';
import { demoCards } from './demo/demo-cards.js';
import { askEligibility, type Verdict } from './demo/eligibility.js';
import { prepareLayout } from './demo/layout.js';
import { startCardCourier } from './demo/card-courier.js';
import { runCaCli, startService, type RunningService } from './demo/services.js';
import { summaryLines } from './demo/summary.js';

const root = join(import.meta.dirname, '..');
const { values: options } = parseArgs({
  options: { check: { type: 'boolean' }, dir: { type: 'string' }, 'confirm-after': { type: 'string' }, 'skip-setup': { type: 'boolean' }, 'skip-build': { type: 'boolean' } },
});
const check = options.check === true;

function step(text: string): void {
  console.log(`• ${text}`);
}

function ensureSystemPackages(): void {
  const setup = spawnSync('bash', [join(root, 'scripts/setup-system')], { stdio: check ? 'ignore' : 'inherit' });
  if (setup.status !== 0) throw new Error('system packages are missing (run scripts/setup-system and see its output)');
}

const built = (): boolean =>
  ['out/main/web.js', 'out/renderer/index.html', 'out/service/cli.js'].every((file) => existsSync(join(root, file)));

async function ensureBuilt(): Promise<void> {
  if (check || options['skip-build']) {
    // The check runs inside the test suite, next to tests that use out/: never rebuild under them, and
    // give a build someone else has under way (out/ briefly missing) time to finish before building.
    for (let waited = 0; !built() && waited < 30_000; waited += 1000) await new Promise((r) => setTimeout(r, 1000));
    if (built()) return;
  }
  step('Building the app');
  const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: check ? 'ignore' : 'inherit' });
  if (build.status !== 0) throw new Error('the build failed');
}

async function main(): Promise<void> {
  const started = Date.now();
  if (!options['skip-setup']) ensureSystemPackages();
  const confirmAfter = Number(options['confirm-after'] ?? (check ? 1 : 5));
  if (!Number.isFinite(confirmAfter) || confirmAfter < 0) throw new Error('--confirm-after takes a number of seconds');
  const layout = await prepareLayout(options.dir ?? join(root, '.obnova-demo', check ? 'check' : ''), {
    fixedPorts: !check,
    autoConfirmMs: Math.round(confirmAfter * 1000),
    ownDefault: options.dir === undefined,
  });
  await ensureBuilt();

  step(`Creating the demo CAs (SI, RS) and ${demoCards.length} demo cards in ${layout.dir}`);
  // SoftHSM reads SOFTHSM2_CONF once per process: the CAs' store, where cards are personalised before they are handed over.
  process.env.SOFTHSM2_CONF = layout.caHsmConf;
  const { buildDemoPki } = await import('./demo/build-pki.js');
  const cardsBuilt = await buildDemoPki(layout, demoCards);

  const running: { services: RunningService[]; app: RunningApp | null } = { services: [], app: null };
  // New cards the back office makes for new-media orders are handed over to the cards' store.
  let deliveries = 0;
  const courier = startCardCourier(layout, {
    onDelivered: () => {
      deliveries += 1;
      if (!check) console.log('• A new card was delivered to the cards store: restart the demo app to see it (SoftHSM shows new tokens only after a rescan, which the app makes when no card session is open).');
    },
  });
  const stopAll = async (): Promise<void> => {
    courier.stop();
    await running.app?.stop();
    await Promise.all(running.services.map((s) => s.stop()));
  };
  let stopping = false;
  const onSignal = (): void => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping the demo…');
    void stopAll().then(() => process.exit(0));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    step('Starting the renewal services');
    running.services = await Promise.all([startService(layout, 'si'), startService(layout, 'rs')]);
    const serviceOf = (market: string) => running.services.find((s) => s.market === market)!;
    const cards: { built: (typeof cardsBuilt)[number]; verdict: Verdict }[] = [];
    for (const b of cardsBuilt) cards.push({ built: b, verdict: await askEligibility(serviceOf(b.card.market).url, b) });

    prepareAppData(layout, serviceOf('si').url);
    step(check ? 'Starting the app in web mode' : 'Opening the app');
    running.app = await openApp(layout, serviceOf('si').url, { allowElectron: !check });
    if (running.app.kind === 'web' && !check) console.log('  The Electron binary is not installed here, so the demo runs in web mode: the same app, in your browser.');
    const appUrl = running.app.kind === 'web' ? running.app.web.url : null;

    if (check) {
      if (running.app.kind !== 'web') throw new Error('the check runs web mode');
      const startedInMs = Date.now() - started;
      for (const line of summaryLines({ layout, appUrl, services: running.services, cards, startedInMs })) console.log(line);
      const back = {
        caCli: (args: string[]) => runCaCli(layout, 'si', args),
        async admin(path: string) {
          const r = await fetch(`${serviceOf('si').adminUrl}${path}`, { method: 'POST', headers: { Authorization: `Bearer ${layout.adminToken}` } });
          if (!r.ok) throw new Error(`POST ${path} answered ${r.status}: ${await r.text()}`);
        },
        async delivered() {
          const before = deliveries;
          for (let waited = 0; deliveries === before && waited < 15_000; waited += 200) await new Promise((r) => setTimeout(r, 200));
          if (deliveries === before) throw new Error('the courier did not hand the new card over');
        },
        async reopenApp() {
          await running.app?.stop();
          running.app = await openApp(layout, serviceOf('si').url, { allowElectron: false });
          if (running.app.kind !== 'web') throw new Error('the check runs web mode');
          return running.app.web;
        },
      };
      const { problems, report } = await checkDemo(running.app.web, running.services, cards, back);
      console.log(`DEMO-CHECK ${JSON.stringify({ startedInMs, ...report })}`);
      await stopAll();
      if (problems.length > 0) throw new Error(`the demo check failed:\n  ${problems.join('\n  ')}`);
      console.log(`demo check: the app sees ${cards.length} demo cards, both services answer, and renewals went through (same card: ${report.renewal?.statuses.join(' → ') ?? '-'}; new card: ${report.newCard?.statuses.join(' → ') ?? '-'})`);
      return;
    }

    for (const line of summaryLines({ layout, appUrl, services: running.services, cards, startedInMs: Date.now() - started })) console.log(line);
    if (appUrl && (process.env.DISPLAY || process.env.WAYLAND_DISPLAY || process.platform !== 'linux')) {
      const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
      spawn(opener, [appUrl], { stdio: 'ignore', detached: true }).on('error', () => undefined).unref();
    }
    console.log('\nPress Ctrl+C to stop the demo.');
    if (running.app.kind === 'electron') running.app.process.once('exit', () => onSignal());
    for (const s of running.services) s.process.once('exit', (code) => !stopping && (console.error(`demo: the ${s.market} service stopped (${code}):\n${s.output()}`), onSignal()));
  } catch (error) {
    await stopAll();
    throw error;
  }
}

main().catch((error: unknown) => {
  console.error(`demo: ${(error as Error).message}`);
  process.exit(1);
});
