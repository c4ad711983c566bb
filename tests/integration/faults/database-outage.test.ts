/**
 * The database goes away under load (restart, failover, pg_terminate_backend) while `serve` runs
 * in its own process: the process survives, answers 503 + Retry-After with CA_DATABASE_UNAVAILABLE
 * while the database refuses connections, OCSP keeps answering from its pre-signed cache, and
 * everything is normal again once the database is back. Only this test's own database is touched.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unloadAllModules } from '../../../src-service/hsm/pkcs11-module.js';
import { startChildInstance, type ChildInstance } from '../../helpers/renewal/instance.js';
import { createTestCa, type TestCa } from '../../helpers/service/ca-factory.js';
import { setDatabaseAway, terminateBackends } from '../../helpers/service/postgres.js';
import { useSoftHsmEnv } from '../../helpers/service/softhsm-env.js';

const hsm = useSoftHsmEnv('obnova-db-outage-');
afterAll(() => {
  unloadAllModules();
  hsm.cleanup();
});

interface Tally {
  statuses: Map<number, number>;
  missingRetryAfter: number;
  codes: Set<string>;
  transportErrors: number;
}

/** `workers` loops posting challenges until `stop` is set; counts what came back. */
function loadWhile(url: string, workers: number): { stop(): Promise<Tally> } {
  const tally: Tally = { statuses: new Map(), missingRetryAfter: 0, codes: new Set(), transportErrors: 0 };
  let running = true;
  const loops = Array.from({ length: workers }, async () => {
    while (running) {
      try {
        const r = await fetch(`${url}/v1/challenges`, { method: 'POST', signal: AbortSignal.timeout(15_000) });
        tally.statuses.set(r.status, (tally.statuses.get(r.status) ?? 0) + 1);
        const body = (await r.json()) as { code?: string };
        if (r.status === 503) {
          if (!r.headers.get('retry-after')) tally.missingRetryAfter++;
          if (body.code) tally.codes.add(body.code);
        }
      } catch {
        tally.transportErrors++;
        await new Promise((done) => setTimeout(done, 50));
      }
    }
  });
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
      return tally;
    },
  };
}

async function challengeStatus(url: string): Promise<{ status: number; retryAfter: string | null; code?: string }> {
  const r = await fetch(`${url}/v1/challenges`, { method: 'POST' });
  const body = (await r.json()) as { code?: string };
  return { status: r.status, retryAfter: r.headers.get('retry-after'), code: body.code };
}

describe('serve while PostgreSQL goes away', () => {
  let ca: TestCa;
  let server: ChildInstance;

  beforeAll(async () => {
    ca = await createTestCa({ db: 'postgres' });
    server = await startChildInstance(ca.dir, { SOFTHSM2_CONF: hsm.conf });
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    await ca?.cleanup();
  });

  it('survives its idle connections being terminated', async () => {
    for (let i = 0; i < 10; i++) expect((await challengeStatus(server.url)).status).toBe(201);
    expect(await terminateBackends(ca.config.database)).toBeGreaterThan(0);
    await new Promise((done) => setTimeout(done, 500));
    expect(server.child.exitCode).toBeNull();
    expect((await challengeStatus(server.url)).status).toBe(201);
  });

  it('answers 503 + Retry-After while the database refuses connections, and normally after', async () => {
    const load = loadWhile(server.url, 6);
    await new Promise((done) => setTimeout(done, 500));
    await setDatabaseAway(ca.config.database, true);
    try {
      // Give the pool time to notice: every request from now on must come back refused with a code.
      await new Promise((done) => setTimeout(done, 1_000));
      const during = await challengeStatus(server.url);
      expect(during).toMatchObject({ status: 503, code: 'CA_DATABASE_UNAVAILABLE' });
      expect(Number(during.retryAfter)).toBeGreaterThan(0);
      const ready = await fetch(`${server.url}/readyz`);
      expect(ready.status).toBe(503);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${server.url}/ca/issuing.cer`)).status).toBe(200);
      await new Promise((done) => setTimeout(done, 1_000));
    } finally {
      await setDatabaseAway(ca.config.database, false);
    }
    let after = await challengeStatus(server.url);
    for (let i = 0; i < 20 && after.status !== 201; i++) {
      await new Promise((done) => setTimeout(done, 250));
      after = await challengeStatus(server.url);
    }
    expect(after.status).toBe(201);
    const tally = await load.stop();
    expect(server.child.exitCode).toBeNull();
    expect(tally.transportErrors).toBe(0);
    expect([...tally.statuses.keys()].sort()).toEqual([201, 503]);
    expect(tally.missingRetryAfter).toBe(0);
    expect([...tally.codes]).toEqual(['CA_DATABASE_UNAVAILABLE']);
    console.log(`[db outage] answers under load: ${JSON.stringify(Object.fromEntries(tally.statuses))}`);
  }, 60_000);
});
