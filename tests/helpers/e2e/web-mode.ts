/** Starts the built web mode (out/main/web.js) as a child process, as a user would, and stops it. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface WebMode {
  url: string;
  origin: string;
  process: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

const root = join(import.meta.dirname, '../../..');

export async function startWebMode(options: { env: NodeJS.ProcessEnv; args?: string[]; timeoutMs?: number }): Promise<WebMode> {
  const entry = join(root, 'out/main/web.js');
  if (!existsSync(entry)) throw new Error('out/main/web.js is missing: run `npm run build` before the e2e tests (npm test does)');
  // Settings and logs go to a folder of this run's own, never the user's real app data.
  const env = { OBNOVA_APP_DATA: mkdtempSync(join(tmpdir(), 'obnova-appdata-')), ...options.env };
  const child = spawn(process.execPath, [entry, ...(options.args ?? [])], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`web mode did not print its URL in time:\n${output}`)), options.timeoutMs ?? 20_000);
    const check = (): void => {
      const match = /http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    };
    child.stdout.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`web mode exited with ${code}:\n${output}`));
    });
  });

  return {
    url,
    origin: new URL(url).origin,
    process: child,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}
