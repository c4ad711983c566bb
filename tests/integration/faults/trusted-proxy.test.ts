/**
 * Behind a TLS proxy (listen.trustProxy) the rate limit counts each holder by X-Forwarded-For,
 * not the proxy's one address, so one busy holder cannot lock every other holder out; without it,
 * a forged X-Forwarded-For changes nothing.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unloadAllModules } from '../../../src-service/hsm/pkcs11-module.js';
import { startServer } from '../../../src-service/server.js';
import { createTestCa, type TestCa } from '../../helpers/service/ca-factory.js';
import { useSoftHsmEnv } from '../../helpers/service/softhsm-env.js';

const hsm = useSoftHsmEnv('obnova-trust-proxy-');

async function statusesFor(url: string, clients: string[]): Promise<number[]> {
  const out: number[] = [];
  for (const client of clients) out.push((await fetch(`${url}/v1/challenges`, { method: 'POST', headers: { 'x-forwarded-for': client } })).status);
  return out;
}

describe('rate limits behind a proxy', () => {
  let ca: TestCa;
  let original: string;
  const configFile = () => join(ca.dir, 'obnova-ca.json');
  beforeAll(async () => {
    ca = await createTestCa();
    original = readFileSync(configFile(), 'utf8');
    writeFileSync(join(ca.dir, 'obnova-renewal.json'), JSON.stringify({ admin: { port: null }, rateLimit: { limit: 2, windowSeconds: 3600 } }));
  }, 60_000);
  afterAll(async () => {
    await ca?.cleanup();
    unloadAllModules();
    hsm.cleanup();
  });

  async function withListen(listen: Record<string, unknown>, run: (url: string) => Promise<void>): Promise<void> {
    const config = JSON.parse(original) as { listen: Record<string, unknown> };
    writeFileSync(configFile(), JSON.stringify({ ...config, listen: { ...config.listen, ...listen } }));
    const server = await startServer(ca.dir, { host: '127.0.0.1', port: 0 });
    try {
      await run(server.url);
    } finally {
      await server.close();
    }
  }

  it('counts each forwarded client on its own with listen.trustProxy', async () => {
    await withListen({ trustProxy: ['127.0.0.1'] }, async (url) => {
      expect(await statusesFor(url, ['198.51.100.1', '198.51.100.1', '198.51.100.2', '198.51.100.2', '198.51.100.3'])).toEqual([201, 201, 201, 201, 201]);
      expect(await statusesFor(url, ['198.51.100.1'])).toEqual([429]);
    });
  }, 30_000);

  it('ignores X-Forwarded-For from a proxy it was not told to trust', async () => {
    await withListen({ trustProxy: false }, async (url) => {
      expect(await statusesFor(url, ['203.0.113.1', '203.0.113.2', '203.0.113.3'])).toEqual([201, 201, 429]);
    });
  }, 30_000);
});
