/**
 * `obnova-ca serve` runs whole or not at all: an admin API that cannot start (port taken, bad port,
 * short token), or a network address without TLS or a trusted proxy, ends the process at once with
 * a CA_… code and exit 1 — never a half-started service whose /healthz says 200 while renewal
 * calls fail. With listen.tls it serves HTTPS; with listen.trustProxy it may listen off loopback.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCaServer } from '../../helpers/service/ca-cli.js';
import { createTestCa, type TestCa } from '../../helpers/service/ca-factory.js';
import { tool } from '../../helpers/service/openssl.js';
import { useSoftHsmEnv } from '../../helpers/service/softhsm-env.js';

const hsm = useSoftHsmEnv('obnova-serve-start-');
const root = join(import.meta.dirname, '..', '..', '..');
const token = 'serve-startup-admin-token-0123456789';

/** Runs `obnova-ca serve`, expecting it to exit by itself within 30 s. */
function serveExpectingExit(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(join(root, 'node_modules/.bin/tsx'), [join(root, 'src-service/cli.ts'), 'serve', ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      stderr += '\n(still running after 30 s: half-started)';
    }, 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function isListening(port: number): Promise<boolean> {
  try {
    await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2_000) });
    return true;
  } catch {
    return false;
  }
}

describe('obnova-ca serve start-up', () => {
  let ca: TestCa;
  let env: NodeJS.ProcessEnv;
  let configFile: string;
  let original: string;
  beforeAll(async () => {
    ca = await createTestCa();
    env = { SOFTHSM2_CONF: hsm.conf, OBNOVA_ADMIN_TOKEN: token };
    configFile = join(ca.dir, 'obnova-ca.json');
    original = readFileSync(configFile, 'utf8');
  }, 60_000);
  afterAll(async () => {
    await ca?.cleanup();
    hsm.cleanup();
  });

  const editListen = (listen: Record<string, unknown>) => {
    const config = JSON.parse(original) as { listen: Record<string, unknown> };
    writeFileSync(configFile, JSON.stringify({ ...config, listen: { ...config.listen, ...listen } }));
  };

  it('exits with CA_ADMIN_START_FAILED when the admin port is taken, leaving no public port open', async () => {
    const taken: Server = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => taken.once('listening', r));
    const adminPort = (taken.address() as { port: number }).port;
    const port = await freePort();
    try {
      const run = await serveExpectingExit(['--dir', ca.dir, '--port', String(port)], { ...env, OBNOVA_ADMIN_PORT: String(adminPort) });
      expect(run.stderr).toContain('CA_ADMIN_START_FAILED');
      expect(run.code).toBe(1);
      expect(await isListening(port)).toBe(false);
    } finally {
      taken.close();
    }
  }, 60_000);

  it.each([
    ['a bad OBNOVA_ADMIN_PORT', { OBNOVA_ADMIN_PORT: 'eighty' }, 'CA_CONFIG_INVALID'],
    ['a short admin token', { OBNOVA_ADMIN_TOKEN: 'short' }, 'CA_CONFIG_INVALID'],
    ['OBNOVA_RATE_LIMIT that is not a rate', { OBNOVA_RATE_LIMIT: 'unlimited' }, 'CA_CONFIG_INVALID'],
  ])('exits 1 with a code for %s', async (_name, extra, code) => {
    const run = await serveExpectingExit(['--dir', ca.dir, '--port', '0'], { ...env, ...extra });
    expect(run.stderr).toContain(code);
    expect(run.code).toBe(1);
  }, 60_000);

  it('refuses a network address over plain HTTP without a trusted proxy (CA_LISTEN_INSECURE)', async () => {
    const run = await serveExpectingExit(['--dir', ca.dir, '--host', '0.0.0.0', '--port', '0'], { ...env, OBNOVA_ADMIN_PORT: 'off' });
    expect(run.stderr).toContain('CA_LISTEN_INSECURE');
    expect(run.code).toBe(1);
  }, 60_000);

  it('serves HTTPS with listen.tls', async () => {
    const key = join(ca.dir, 'tls.key');
    const cert = join(ca.dir, 'tls.crt');
    tool('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1']);
    editListen({ tls: { certFile: 'tls.crt', keyFile: 'tls.key' } });
    const server = await startCaServer(['--dir', ca.dir, '--port', '0'], { ...env, OBNOVA_ADMIN_PORT: 'off' }, /listening on (https:\/\/\S+)/);
    try {
      expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const status = await new Promise<number>((resolve, reject) => {
        request(`${server.url}/healthz`, { ca: readFileSync(cert) }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
          .on('error', reject)
          .end();
      });
      expect(status).toBe(200);
    } finally {
      await server.stop();
      writeFileSync(configFile, original);
    }
  }, 60_000);
});
