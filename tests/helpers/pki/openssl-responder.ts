/** Runs `openssl ocsp` as a real responder on loopback and makes CRLs with `openssl ca -gencrl`, from an openssl CA database. */
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Issued } from './pki-factory.js';
import { openssl } from './openssl.js';

/** A port that was free a moment ago (openssl ocsp needs a fixed one). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function opensslTime(d: Date): string {
  return d.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z';
}

export interface IndexEntry {
  issued: Issued;
  revoked?: { at: Date; reason?: string };
}

/** Writes an `openssl ca` database (index.txt) listing the given certificates. */
export function writeIndex(dir: string, entries: IndexEntry[]): string {
  const lines = entries.map(({ issued, revoked }) => {
    const c = issued.certificate;
    const subject = '/' + c.subject.split(/,\s*/).reverse().join('/');
    const rev = revoked ? opensslTime(revoked.at) + (revoked.reason ? `,${revoked.reason}` : '') : '';
    return [revoked ? 'R' : 'V', opensslTime(c.notAfter), rev, c.serialNumber.toUpperCase(), 'unknown', subject].join('\t');
  });
  const path = join(dir, 'index.txt');
  writeFileSync(path, lines.join('\n') + '\n');
  writeFileSync(join(dir, 'index.txt.attr'), 'unique_subject = no\n');
  return path;
}

export interface Responder {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `openssl ocsp` answering for `ca` with `signer`'s key (files `<name>.pem`/`.key` in dir); `nmin` sets nextUpdate. */
export async function startOcspResponder(opts: { dir: string; port: number; caPem: string; signerPem: string; signerKey: string; index: string; nmin?: number }): Promise<Responder> {
  const args = ['ocsp', '-port', String(opts.port), '-index', opts.index, '-CA', opts.caPem, '-rsigner', opts.signerPem, '-rkey', opts.signerKey];
  if (opts.nmin !== undefined) args.push('-nmin', String(opts.nmin));
  const child = spawn('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  // Wait for its banner rather than probing the port: a probe connection that sends nothing stalls the single-threaded responder.
  let stderr = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`openssl ocsp did not start: ${stderr}`));
    }, 10_000);
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (stderr.includes('waiting for OCSP client connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`openssl ocsp exited with ${code}: ${stderr}`));
    });
  });
  return {
    url: `http://127.0.0.1:${opts.port}/ocsp`,
    process: child,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** `openssl ca -gencrl` over the database in dir, signed by `caPem`/`caKey`; returns the PEM CRL. */
export function generateCrl(opts: { dir: string; caPem: string; caKey: string; index: string; crlHours?: number }): string {
  const config = join(opts.dir, 'ca.cnf');
  writeFileSync(join(opts.dir, 'crlnumber'), '1000\n');
  writeFileSync(
    config,
    ['[ ca ]', 'default_ca = test_ca', '[ test_ca ]', `database = ${opts.index}`, `crlnumber = ${join(opts.dir, 'crlnumber')}`, 'default_md = sha256', 'default_crl_days = 1', ''].join('\n'),
  );
  const out = join(opts.dir, 'ca.crl');
  const r = openssl(['ca', '-gencrl', '-batch', '-config', config, '-cert', opts.caPem, '-keyfile', opts.caKey, '-crlhours', String(opts.crlHours ?? 24), '-out', out]);
  if (r.status !== 0) throw new Error(`openssl ca -gencrl failed: ${r.stderr}`);
  return out;
}
