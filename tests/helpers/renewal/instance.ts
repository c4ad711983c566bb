/** Starts serve-instance.ts as a child process and waits for its URL. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export interface ChildInstance {
  url: string;
  adminUrl: string | null;
  child: ChildProcess;
  stop(): Promise<void>;
}

export function startChildInstance(dir: string, env: NodeJS.ProcessEnv): Promise<ChildInstance> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'serve-instance.ts'), dir], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += String(d)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`instance did not start: ${stderr}`)), 90_000);
    child.once('exit', (code) => reject(new Error(`instance exited ${code}: ${stderr}`)));
    let out = '';
    child.stdout!.on('data', (d) => {
      out += String(d);
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) {
        clearTimeout(timer);
        const { url, adminUrl } = JSON.parse(line) as { url: string; adminUrl: string | null };
        resolve({
          url,
          adminUrl,
          child,
          stop: () =>
            new Promise((done) => {
              if (child.exitCode !== null) return done();
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    });
  });
}
