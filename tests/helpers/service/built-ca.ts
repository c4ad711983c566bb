/**
 * The built `obnova-ca` (out/service/cli.js) as an operator installs it: built from this checkout
 * into a scratch folder whose node_modules holds only the production dependencies of
 * package-lock.json (links into the checkout's node_modules), so that a dev dependency such as tsx or
 * vite cannot be found from it, the same as after `npm ci --omit=dev`.
 */
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const root = join(import.meta.dirname, '..', '..', '..');

export interface BuiltCa {
  /** The scratch install: out/service/cli.js, node_modules (production only), build/fonts. */
  dir: string;
  /** node_modules/.bin/obnova-ca, a link to out/service/cli.js as npm makes it. */
  bin: string;
  run(args: string[], env?: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }>;
  serve(args: string[], env?: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string; output: () => string; stop(): Promise<void> }>;
  cleanup(): void;
}

/** Top-level packages npm installs with --omit=dev: the lockfile's entries not marked dev. */
export function productionPackages(lock: { packages: Record<string, { dev?: boolean }> }): string[] {
  return Object.entries(lock.packages)
    .filter(([path, entry]) => path.startsWith('node_modules/') && !path.slice('node_modules/'.length).includes('node_modules/') && !entry.dev)
    .map(([path]) => path.slice('node_modules/'.length));
}

export function buildCaInScratch(): BuiltCa {
  const dir = mkdtempSync(join(tmpdir(), 'obnova-built-ca-'));
  const build = spawnSync(join(root, 'node_modules/.bin/vite'), ['build', '-c', join(root, 'vite.service.config.ts'), '--outDir', join(dir, 'out/service'), '--logLevel', 'warn'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`building obnova-ca failed: ${build.stderr}`);
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
  for (const name of productionPackages(lock)) {
    const link = join(dir, 'node_modules', name);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(join(root, 'node_modules', name), link);
  }
  const bin = join(dir, 'node_modules/.bin/obnova-ca');
  mkdirSync(dirname(bin), { recursive: true });
  symlinkSync('../../out/service/cli.js', bin);
  cpSync(join(root, 'build/fonts'), join(dir, 'build/fonts'), { recursive: true });

  const run: BuiltCa['run'] = (args, env = {}) =>
    new Promise((resolve) => {
      execFile(process.execPath, [bin, ...args], { cwd: dir, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 120_000 }, (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
      });
    });

  const serve: BuiltCa['serve'] = (args, env = {}) =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [bin, 'serve', ...args], { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
      const timer = setTimeout(() => reject(new Error(`obnova-ca serve did not start: ${out}`)), 60_000);
      const onExit = (code: number | null) => {
        clearTimeout(timer);
        reject(new Error(`obnova-ca serve exited ${code}: ${out}`));
      };
      child.once('exit', onExit);
      const poll = setInterval(() => {
        const m = /listening on (http:\/\/\S+)/.exec(out);
        if (!m) return;
        clearInterval(poll);
        clearTimeout(timer);
        child.off('exit', onExit);
        resolve({
          child,
          url: m[1]!,
          output: () => out,
          stop: () =>
            new Promise<void>((done) => {
              if (child.exitCode !== null) return done();
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }, 50);
      child.once('exit', () => clearInterval(poll));
    });

  return { dir, bin, run, serve, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
