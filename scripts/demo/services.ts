/** The renewal services (`obnova-ca serve`, one per market) as child processes, up when /healthz answers. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { DemoMarket } from './demo-cards.js';
import type { DemoLayout } from './layout.js';

export interface RunningService {
  market: DemoMarket;
  url: string;
  adminUrl: string;
  process: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

const root = join(import.meta.dirname, '../..');
/** The built obnova-ca (npm run build): no TypeScript compiled at each start, which took most of the 30 s on a busy machine. */
const builtCaCli = join(root, 'out/service/cli.js');

async function waitHealthy(url: string, child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`obnova-ca serve exited with ${child.exitCode}:\n${output()}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`obnova-ca serve did not answer ${url}/healthz in time:\n${output()}`);
}

/** `obnova-ca serve --dir <the market's CA>`; resolves once it answers. */
export async function startService(layout: DemoLayout, market: DemoMarket, timeoutMs = 30_000): Promise<RunningService> {
  // The CA config names its own SoftHSM store; the cards' store must not leak in from our environment.
  const { SOFTHSM2_CONF: _conf, OBNOVA_ADMIN_TOKEN: _token, OBNOVA_ADMIN_PORT: _port, ...env } = process.env;
  const child = spawn(process.execPath, [builtCaCli, 'serve', '--dir', layout.caDir(market)], {
    cwd: root,
    env: { ...env, OBNOVA_CA_ACTOR: 'demo:service' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: false,
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
  const url = `http://127.0.0.1:${layout.ports[market]}`;
  const stop = (): Promise<void> =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    });
  try {
    await waitHealthy(url, child, () => output, timeoutMs);
  } catch (error) {
    await stop();
    throw error;
  }
  return { market, url, adminUrl: `http://127.0.0.1:${layout.adminPorts[market]}`, process: child, output: () => output, stop };
}

/** One `obnova-ca` command against the market's CA directory (as the helpdesk runs it); resolves with its stdout. */
export function runCaCli(layout: DemoLayout, market: DemoMarket, args: string[]): Promise<string> {
  const { SOFTHSM2_CONF: _conf, ...env } = process.env;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [builtCaCli, ...args, '--dir', layout.caDir(market)], {
      cwd: root,
      env: { ...env, OBNOVA_CA_ACTOR: 'demo:helpdesk' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`obnova-ca ${args.slice(0, 2).join(' ')} failed (${code}): ${err.trim()}`))));
  });
}
