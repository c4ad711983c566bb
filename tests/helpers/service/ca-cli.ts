/** Runs `obnova-ca` (tsx src-service/cli.ts) and the app's `obnova` CLI as child processes. */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..', '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

function run(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(tsx, [join(root, script), ...args], { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

/** `obnova-ca ARGS`. */
export function caCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return run('src-service/cli.ts', args, env);
}

/** The app's `obnova ARGS` (its own CLI, not the service's). */
export function appCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return run('src-main/cli.ts', args, env);
}

/** Starts `obnova-ca serve` and resolves once it prints its URL. */
export function startCaServer(args: string[], env: NodeJS.ProcessEnv = {}, listening = /listening on (http:\/\/\S+)/): Promise<{ child: ChildProcess; url: string; stop(): Promise<void> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, [join(root, 'src-service/cli.ts'), 'serve', ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${err}`)), 60_000);
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = listening.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({
          child,
          url: m[1]!,
          stop: () =>
            new Promise<void>((done) => {
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited ${code}: ${err}`));
    });
  });
}
