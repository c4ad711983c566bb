/** Runs openssl for interop checks; never throws on a non-zero exit. */
import { spawnSync } from 'node:child_process';

export interface OpensslResult {
  status: number;
  stdout: string;
  stderr: string;
  stdoutBytes: Uint8Array;
}

export function openssl(args: string[], input?: Uint8Array | string): OpensslResult {
  const r = spawnSync('openssl', args, { input, timeout: 30_000 });
  return {
    status: r.status ?? -1,
    stdout: r.stdout?.toString('utf8') ?? '',
    stderr: r.stderr?.toString('utf8') ?? '',
    stdoutBytes: r.stdout ? new Uint8Array(r.stdout) : new Uint8Array(),
  };
}
