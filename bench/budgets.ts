/**
 * Size and start-up budgets (issue 10), printed as figures next to their targets:
 *   1. the renderer's initial JS, gzip -9 (what index.html loads before first paint)   target ≤ 300 kB
 *   2. idle RSS of headless main (`node out/main/web.js`) after start and a token list  target ≤ 120 MB
 *   3. cold start of web mode to the first successful tokens.list on a SoftHSM token    target ≤ 1 s
 * plus, for information, the same start-up until the card list is on screen in Chromium.
 *   npm run build && npx tsx bench/budgets.ts [--runs 5] [--no-browser]
 * Figures only: nothing here fails on a miss (tests never assert timings). Results also go to bench/results/.
 */
import 'reflect-metadata';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { launchBrowser } from '../tests/helpers/e2e/browser.js';
import { addKeyAndCertificate, createSoftHsm, type SoftHsm } from '../tests/helpers/softhsm.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, 'no-browser': { type: 'boolean', default: false } } });
const runs = Math.max(1, Number(values.runs));
const root = join(import.meta.dirname, '..');
const rendererDir = join(root, 'out/renderer');
const webEntry = join(root, 'out/main/web.js');

interface Figure {
  name: string;
  value: number;
  unit: string;
  target: number;
  detail: string;
}

/** The scripts index.html loads at once (module entry and modulepreloads), gzipped at level 9 each. */
function rendererInitialJs(): Figure {
  const html = readFileSync(join(rendererDir, 'index.html'), 'utf8');
  const sources = [
    ...html.matchAll(/<script[^>]*\bsrc="([^"]+)"/g),
    ...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g),
  ].map((m) => m[1] ?? '');
  let raw = 0;
  let gzip = 0;
  const parts: string[] = [];
  for (const source of sources) {
    const bytes = readFileSync(join(rendererDir, source));
    const zipped = gzipSync(bytes, { level: 9 }).length;
    raw += bytes.length;
    gzip += zipped;
    parts.push(`${source.replace('./', '')} ${kb(bytes.length)} → ${kb(zipped)}`);
  }
  return { name: 'renderer initial JS, gzip -9', value: gzip / 1000, unit: 'kB', target: 300, detail: `${sources.length} file(s), ${kb(raw)} raw: ${parts.join('; ')}` };
}

/** A running web mode and the moment its child was spawned. */
interface Started {
  child: ChildProcess;
  spawnedAt: number;
  url: string;
  printedAt: number;
}

async function startWeb(hsm: SoftHsm): Promise<Started> {
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, [webEntry, '--module', hsm.modulePath], { cwd: root, env: { ...hsm.env, LANG: 'en_GB.UTF-8' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`web mode printed no URL in 20 s:\n${output}`)), 20_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const match = /http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`web mode exited with ${code}:\n${output}`)));
  });
  return { child, spawnedAt, url, printedAt: performance.now() };
}

/** Calls tokens.list through the bridge until it answers ok with at least one token; returns when it did. */
async function firstTokenList(url: string): Promise<{ at: number; tokens: number }> {
  const { origin, hash } = new URL(url);
  const secret = new URLSearchParams(hash.slice(1)).get('token') ?? '';
  for (;;) {
    const response = await fetch(`${origin}/bridge/call/tokens.list`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
      body: '{}',
    });
    const result = (await response.json()) as { ok: boolean; value?: { tokens: unknown[] } };
    if (result.ok && (result.value?.tokens.length ?? 0) > 0) return { at: performance.now(), tokens: result.value?.tokens.length ?? 0 };
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** User + system CPU time the process has used so far: on a shared machine steadier than wall time. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
  // After "pid (comm) ", utime and stime are fields 12 and 13 (proc(5): fields 14 and 15).
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks;
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1]);
  return (kib * 1024) / 1_000_000;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
}

function kb(bytes: number): string {
  return `${(bytes / 1000).toFixed(1)} kB`;
}

function median(list: number[]): number {
  const sorted = [...list].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

async function main(): Promise<void> {
  if (!existsSync(webEntry) || !existsSync(join(rendererDir, 'index.html'))) {
    console.error('bench/budgets.ts: out/ is not built. Run `npm run build` first.');
    process.exit(2);
  }
  const figures: Figure[] = [rendererInitialJs()];

  const hsm = createSoftHsm({ setProcessEnv: false });
  try {
    const token = hsm.createToken({ label: 'Bench kartica' });
    await addKeyAndCertificate(hsm, token, {
      id: '01',
      label: 'Ana Novak',
      subject: { commonName: 'Ana Novak', givenName: 'Ana', surname: 'Novak', serialNumber: 'PNOSI-1234567890123', country: 'SI' },
      qualified: true,
      notBefore: new Date(Date.now() - 300 * 86_400_000),
      notAfter: new Date(Date.now() + 40 * 86_400_000),
      keyType: 'rsa:2048',
    });

    const starts: number[] = [];
    const printed: number[] = [];
    const cpu: number[] = [];
    const rss: number[] = [];
    for (let run = 0; run < runs; run++) {
      const web = await startWeb(hsm);
      try {
        const listed = await firstTokenList(web.url);
        starts.push(listed.at - web.spawnedAt);
        if (web.child.pid) cpu.push(cpuMs(web.child.pid));
        printed.push(web.printedAt - web.spawnedAt);
        // Idle: no calls for 3 s after the token list (the token watcher keeps polling, as in real use).
        await new Promise((resolve) => setTimeout(resolve, 3000));
        if (web.child.pid) rss.push(rssMb(web.child.pid));
      } finally {
        await stop(web.child);
      }
    }
    figures.push({
      name: 'headless main idle RSS (node out/main/web.js, 3 s after a token list)',
      value: median(rss),
      unit: 'MB',
      target: 120,
      detail: `median of ${rss.length}: ${rss.map((v) => v.toFixed(1)).join(', ')} MB`,
    });
    figures.push({
      name: 'cold start of web mode to first tokens.list (SoftHSM, 1 token)',
      value: median(starts),
      unit: 'ms',
      target: 1000,
      // The first run pays for a cold file cache (node_modules read from disk after a build or reboot).
      detail: `median of ${starts.length} fresh processes, in order: ${starts.map((v) => v.toFixed(0)).join(', ')} ms (the first with a cold file cache); URL printed after ${printed.map((v) => v.toFixed(0)).join(', ')} ms; CPU time of the process by then ${cpu.map((v) => v.toFixed(0)).join(', ')} ms`,
    });

    if (!values['no-browser']) {
      // Information only: the same start plus loading the renderer in an already running Chromium.
      const browser = await launchBrowser();
      try {
        const page = await browser.browser.newPage();
        const onScreen: number[] = [];
        for (let run = 0; run < runs; run++) {
          const web = await startWeb(hsm);
          try {
            await page.goto(web.url);
            await page.getByTestId('certificate-row').first().waitFor({ timeout: 20_000 });
            onScreen.push(performance.now() - web.spawnedAt);
          } finally {
            await stop(web.child);
          }
        }
        figures.push({
          name: '(info) cold start to the card list on screen in a running Chromium',
          value: median(onScreen),
          unit: 'ms',
          target: Number.NaN,
          detail: `median of ${onScreen.length}: ${onScreen.map((v) => v.toFixed(0)).join(', ')} ms`,
        });
      } finally {
        await browser.close();
      }
    }
  } finally {
    hsm.cleanup();
  }

  const load = loadavg().map((v) => v.toFixed(2)).join(' ');
  console.log(`Obnova budgets (${new Date().toISOString()}, Node ${process.version}, ${process.platform}-${process.arch}, load average ${load})`);
  for (const figure of figures) {
    const verdict = Number.isNaN(figure.target) ? '' : figure.value <= figure.target ? '  meets target' : `  MISSES target by ${(figure.value - figure.target).toFixed(1)} ${figure.unit}`;
    const target = Number.isNaN(figure.target) ? '' : `  (target ≤ ${figure.target} ${figure.unit})`;
    console.log(`  ${figure.name}: ${figure.value.toFixed(1)} ${figure.unit}${target}${verdict}`);
    console.log(`      ${figure.detail}`);
  }
  const resultsDir = join(root, 'bench/results');
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'budgets.json'), `${JSON.stringify({ at: new Date().toISOString(), figures }, null, 2)}\n`);
}

await main();
