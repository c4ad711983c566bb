/** Runs the built `obnova` CLI (out/main/cli.js) as a user would, and captures what it says. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const entry = join(import.meta.dirname, '../../out/main/cli.js');

export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
  json<T = unknown>(): T;
}

export function runBuiltCli(args: string[], env: NodeJS.ProcessEnv): CliRun {
  if (!existsSync(entry)) throw new Error('out/main/cli.js is missing: run `npm run build` first (npm test does)');
  const run = spawnSync(process.execPath, [entry, ...args], { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8', timeout: 60_000 });
  return {
    status: run.status ?? -1,
    stdout: run.stdout,
    stderr: run.stderr,
    json: <T>() => JSON.parse(run.stdout) as T,
  };
}
