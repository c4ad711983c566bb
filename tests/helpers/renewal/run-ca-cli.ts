/** Runs `obnova-ca` (src-service/cli.ts through tsx) in a child process, as an operator would. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const entry = join(import.meta.dirname, '../../../src-service/cli.ts');

export interface CaCliRun {
  status: number;
  stdout: string;
  stderr: string;
}

export function runCaCli(args: string[], env: NodeJS.ProcessEnv = {}): CaCliRun {
  const run = spawnSync(process.execPath, ['--import', 'tsx', entry, ...args], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 });
  return { status: run.status ?? -1, stdout: run.stdout, stderr: run.stderr };
}
