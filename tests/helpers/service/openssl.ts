/** Runs the independent tools (openssl, certtool, pkcs11-tool) used as acceptance checks. */
import { execFile, execFileSync, spawnSync } from 'node:child_process';

export interface ToolResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs a tool and returns its exit status and output (never throws on a non-zero status). */
export function runTool(cmd: string, args: string[], input?: string | Uint8Array): ToolResult {
  const r = spawnSync(cmd, args, { input, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** stdout of a tool that must succeed. */
export function tool(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', timeout: 60_000 });
}

/** Like runTool but without blocking the event loop: needed when the tool talks to a server in this process. */
export function runToolAsync(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<ToolResult> {
  return new Promise((resolve) => {
    execFile(cmd, args, { encoding: 'utf8', timeout: 60_000, env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      const status = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ status, stdout: stdout ?? '', stderr: stderr ?? '' });
    });
  });
}
