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
import { bridgeCall, openApp, prepareAppData, type RunningApp } from './demo/app.js';
import { demoCards } from './demo/demo-cards.js';
import { askEligibility, verdictMatches, type Verdict } from './demo/eligibility.js';
import { prepareLayout } from './demo/layout.js';
import { startService, type RunningService } from './demo/services.js';
import { holderName, summaryLines } from './demo/summary.js';

const root = join(import.meta.dirname, '..');
const { values: options } = parseArgs({ options: { check: { type: 'boolean' }, dir: { type: 'string' }, 'confirm-after': { type: 'string' }, 'skip-setup': { type: 'boolean' } } });
const check = options.check === true;

function step(text: string): void {
  console.log(`• ${text}`);
}

function ensureSystemPackages(): void {
  const setup = spawnSync('bash', [join(root, 'scripts/setup-system')], { stdio: check ? 'ignore' : 'inherit' });
  if (setup.status !== 0) throw new Error('system packages are missing (run scripts/setup-system and see its output)');
}

function ensureBuilt(): void {
  // The check runs inside the test suite, next to tests that use out/: never rebuild under them.
  if (check && existsSync(join(root, 'out/main/web.js')) && existsSync(join(root, 'out/renderer/index.html'))) return;
  step('Building the app');
  const built = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: check ? 'ignore' : 'inherit' });
  if (built.status !== 0) throw new Error('the build failed');
}

async function main(): Promise<void> {
  const started = Date.now();
  if (!options['skip-setup']) ensureSystemPackages();
  ensureBuilt();

  const layout = await prepareLayout(options.dir ?? join(root, '.obnova-demo', check ? 'check' : ''), {
    fixedPorts: !check,
    autoConfirmMs: Number(options['confirm-after'] ?? 5) * 1000,
  });
  step(`Creating the demo CAs (SI, RS) and ${demoCards.length} demo cards in ${layout.dir}`);
  // SoftHSM reads SOFTHSM2_CONF once per process: the CAs' store, where cards are personalised before they are handed over.
  process.env.SOFTHSM2_CONF = layout.caHsmConf;
  const { buildDemoPki } = await import('./demo/build-pki.js');
  const built = await buildDemoPki(layout, demoCards);

  const running: { services: RunningService[]; app: RunningApp | null } = { services: [], app: null };
  const stopAll = async (): Promise<void> => {
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
    const cards: { built: (typeof built)[number]; verdict: Verdict }[] = [];
    for (const b of built) cards.push({ built: b, verdict: await askEligibility(serviceOf(b.card.market).url, b) });

    prepareAppData(layout, serviceOf('si').url);
    step(check ? 'Starting the app in web mode' : 'Opening the app');
    running.app = await openApp(layout, serviceOf('si').url, { allowElectron: !check });
    if (running.app.kind === 'web' && !check) console.log('  The Electron binary is not installed here, so the demo runs in web mode: the same app, in your browser.');
    const appUrl = running.app.kind === 'web' ? running.app.web.url : null;

    if (check) {
      if (running.app.kind !== 'web') throw new Error('the check runs web mode');
      const tokens = await bridgeCall<{ tokens: { label: string }[] }>(running.app.web, 'tokens.list');
      const list = await bridgeCall<{ certificates: { tokenLabel: string; slotId: string; objectId: string; subjectCommonName?: string | null; serialNumber?: string; isCertificateAuthority?: boolean }[] }>(
        running.app.web,
        'certificates.list',
      );
      const problems: string[] = [];
      const seen: Record<string, { token: boolean; holder: string | null; verdictOk: boolean; app: { eligible: boolean; path: string | null; serviceProblem: string | null } | null }> = {};
      for (const { built: b, verdict } of cards) {
        const own = list.certificates.filter((c) => c.tokenLabel === b.card.tokenLabel && c.isCertificateAuthority === false);
        const entry = own.find((c) => c.serialNumber === b.serial);
        const cn = entry?.subjectCommonName ?? null;
        const token = tokens.tokens.some((t) => t.label === b.card.tokenLabel);
        const verdictOk = verdictMatches(verdict, b.card.expect);
        // The app's own renewal check goes to the service in its settings: the SI demo service.
        let app: (typeof seen)[string]['app'] = null;
        if (entry && b.card.market === 'si') {
          const view = await bridgeCall<{ eligible: boolean; path: string | null; serviceProblem: { code: string } | null }>(running.app.web, 'renewal.check', { slotId: entry.slotId, objectId: entry.objectId });
          app = { eligible: view.eligible, path: view.path, serviceProblem: view.serviceProblem?.code ?? null };
          if (view.serviceProblem || view.eligible !== b.card.expect.eligible || view.path !== b.card.expect.path) {
            problems.push(`${b.card.tokenLabel}: the app's renewal check says ${JSON.stringify(app)}, expected ${JSON.stringify(b.card.expect)}`);
          }
        }
        seen[b.card.id] = { token, holder: cn, verdictOk, app };
        if (!token) problems.push(`${b.card.tokenLabel}: token not listed`);
        if (own.length !== 1 || !cn) problems.push(`${b.card.tokenLabel}: expected one holder certificate ${b.serial}, the app lists ${own.length}`);
        if (!verdictOk) problems.push(`${b.card.tokenLabel}: service verdict ${JSON.stringify(verdict)}, expected ${JSON.stringify(b.card.expect)}`);
      }
      if (tokens.tokens.length !== cards.length) problems.push(`the app lists ${tokens.tokens.length} tokens, the demo made ${cards.length}`);
      for (const s of running.services) if (!(await fetch(`${s.url}/healthz`)).ok) problems.push(`${s.url}/healthz does not answer`);
      for (const line of summaryLines({ layout, appUrl, services: running.services, cards, startedInMs: Date.now() - started })) console.log(line);
      console.log(
        `DEMO-CHECK ${JSON.stringify({
          startedInMs: Date.now() - started,
          cards: cards.map(({ built: b, verdict }) => ({ id: b.card.id, tokenLabel: b.card.tokenLabel, holder: holderName(b.card), appHolder: seen[b.card.id]!.holder, listed: seen[b.card.id]!.token, verdict, app: seen[b.card.id]!.app })),
        })}`,
      );
      await stopAll();
      if (problems.length > 0) throw new Error(`the demo check failed:\n  ${problems.join('\n  ')}`);
      console.log(`demo check: the app sees ${cards.length} demo cards and both services answer`);
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
