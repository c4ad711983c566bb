/** Runs the independent tools (openssl, certtool, pkcs11-tool) used as acceptance checks. */
import { execFileSync, spawnSync } from 'node:child_process';

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
