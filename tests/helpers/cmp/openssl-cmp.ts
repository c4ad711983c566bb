/** `openssl cmp` as the independent CMP client and mock CA in tests, and the files it reads. */
import { spawn } from 'node:child_process';
import { webcrypto } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toPem } from '../../../src-shared/pki/pem.js';
import { runToolAsync } from '../service/openssl.js';

/** Writes a PKCS#8 PEM of a WebCrypto private key (what `openssl cmp -key` reads). */
export async function writeKeyPem(path: string, key: webcrypto.CryptoKey): Promise<string> {
  const der = new Uint8Array(await webcrypto.subtle.exportKey('pkcs8', key));
  writeFileSync(path, `-----BEGIN PRIVATE KEY-----\n${Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n').trim()}\n-----END PRIVATE KEY-----\n`);
  return path;
}

/** Writes DER certificates as one PEM file. */
export function writeCertsPem(path: string, ders: Uint8Array[]): string {
  writeFileSync(path, ders.map((d) => toPem(d, 'CERTIFICATE')).join(''));
  return path;
}

export interface KurOptions {
  server: string;
  /** The old certificate (PEM file) and its key; with `engine`, both keys are pkcs11: URIs. */
  cert: string;
  key: string;
  newKey: string;
  /** The CA's protection certificate the answer must verify under. */
  srvCert: string;
  certOut: string;
  engine?: boolean;
  extra?: string[];
}

/** `openssl cmp -cmd kur`; the CA protects with its issuing certificate, which has no digitalSignature key usage. */
export async function opensslKur(work: string, o: KurOptions, env: NodeJS.ProcessEnv = {}): Promise<{ status: number; output: string }> {
  const args = ['cmp', '-cmd', 'kur', '-server', o.server, '-path', '.well-known/cmp', '-cert', o.cert, '-key', o.key, '-newkey', o.newKey];
  args.push('-srvcert', o.srvCert, '-ignore_keyusage', '-certout', o.certOut, '-reqout', join(work, 'kur.der'), '-rspout', join(work, 'kup.der'));
  if (o.engine) args.push('-engine', 'pkcs11', '-keyform', 'ENGINE');
  const r = await runToolAsync('openssl', [...args, ...(o.extra ?? [])], env);
  // openssl cmp logs to stdout or stderr depending on the message's severity: read both.
  return { status: r.status, output: `${r.stdout}\n${r.stderr}` };
}

export interface MockCa {
  /** host:port to give a CMP client. */
  server: string;
  /** Everything the mock logged (requests seen, errors). */
  log(): string;
  stop(): void;
}

/**
 * OpenSSL's mock CMP server (`openssl cmp -port 0`) on a free port: it answers every certificate
 * request with `rspCert`. Quirk of 3.0: a kur gets "wrong certid" unless `rspCert` carries the old
 * certificate's issuer and serial number.
 */
export function startOpensslMockCa(o: { srvCert: string; srvKey: string; rspCert: string; trusted: string; extra?: string[] }): Promise<MockCa> {
  const child = spawn('openssl', ['cmp', '-port', '0', '-srv_cert', o.srvCert, '-srv_key', o.srvKey, '-rsp_cert', o.rspCert, '-srv_trusted', o.trusted, ...(o.extra ?? [])], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`openssl cmp mock did not start: ${log}`));
    }, 10_000);
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      const port = /ACCEPT \S*:(\d+)/.exec(log)?.[1];
      if (port) {
        clearTimeout(timer);
        resolve({ server: `127.0.0.1:${port}`, log: () => log, stop: () => child.kill() });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`openssl cmp mock exited (${code}): ${log}`));
    });
  });
}
