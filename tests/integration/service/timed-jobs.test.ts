/**
 * Timed jobs in `serve`: order expiry and CRL refresh run on their own, and instances sharing a
 * database run each job once per period — two schedulers on one SQLite file or one PostgreSQL
 * database, looking at the same moments, never both run a slot; a failing job is tried again in the
 * next slot.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../../src-service/db/connection.js';
import { migrateToLatest } from '../../../src-service/db/migrate.js';
import { unloadAllModules } from '../../../src-service/hsm/pkcs11-module.js';
import { startJobs, type JobScheduler } from '../../../src-service/jobs/job-runs.js';
import { renewalContext } from '../../../src-service/renewal/renewal-context.js';
import { startServer, type RunningServer } from '../../../src-service/server.js';
import { makeHolders } from '../../helpers/renewal/load-run.js';
import { placeOrderOverHttp, widenRenewalWindow } from '../../helpers/renewal/protocol-client.js';
import { createTestCa, type TestCa } from '../../helpers/service/ca-factory.js';
import { createPostgresDatabase, type TestDatabase } from '../../helpers/service/postgres.js';
import { useSoftHsmEnv } from '../../helpers/service/softhsm-env.js';

const hsm = useSoftHsmEnv('obnova-jobs-hsm-');
afterAll(() => {
  unloadAllModules();
  hsm.cleanup();
});

describe.each(['sqlite', 'postgres'] as const)('two instances on one %s database', (kind) => {
  let dir: string;
  let pg: TestDatabase | null = null;
  const handles: DatabaseHandle[] = [];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'obnova-jobs-'));
    if (kind === 'postgres') pg = await createPostgresDatabase();
    const url = pg ? pg.url : `sqlite:${join(dir, 'ca.sqlite')}`;
    handles.push(openDatabase(url), openDatabase(url));
    await migrateToLatest(handles[0]!);
  });
  afterAll(async () => {
    for (const h of handles) await h.db.destroy();
    await pg?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('run each job once per period, whichever instance looks first', async () => {
    let clock = Date.UTC(2026, 0, 1);
    const runs: { job: string; instance: string; at: number }[] = [];
    const everyMs = 60_000;
    const instance = (name: string, handle: DatabaseHandle): JobScheduler =>
      startJobs(
        handle.db,
        ['order-expiry', 'crl-refresh'].map((job) => ({ name: job, everyMs, run: async () => void runs.push({ job, instance: name, at: clock }) })),
        { by: name, timers: false, now: () => clock },
      );
    const [a, b] = [instance('a', handles[0]!), instance('b', handles[1]!)];
    for (let period = 0; period < 5; period++) {
      // Both instances look at the same moment, and again a little later in the same period.
      await Promise.all([a.tick(), b.tick()]);
      clock += 20_000;
      await Promise.all([b.tick(), a.tick()]);
      clock += 40_000;
    }
    for (const job of ['order-expiry', 'crl-refresh']) {
      const mine = runs.filter((r) => r.job === job);
      expect(mine, job).toHaveLength(5);
      expect(new Set(mine.map((r) => Math.floor(r.at / everyMs))).size, job).toBe(5);
    }
    const row = await handles[0]!.db.selectFrom('job_runs').selectAll().where('name', '=', 'crl-refresh').executeTakeFirstOrThrow();
    expect(['a', 'b']).toContain(row.started_by);
  });

  it('tries a failed job again in its next period, and reports the failure', async () => {
    let clock = Date.UTC(2026, 1, 1);
    let attempts = 0;
    const failures: string[] = [];
    const scheduler = startJobs(handles[0]!.db, [{ name: 'flaky', everyMs: 1000, run: async () => { attempts++; if (attempts === 1) throw new Error('HSM away'); } }], {
      by: 'a',
      timers: false,
      now: () => clock,
      onError: (job, error) => failures.push(`${job}: ${(error as Error).message}`),
    });
    await scheduler.tick();
    await scheduler.tick();
    expect(attempts).toBe(1);
    expect(failures).toEqual(['flaky: HSM away']);
    clock += 1000;
    await scheduler.tick();
    expect(attempts).toBe(2);
    expect(failures).toHaveLength(1);
  });
});

describe('obnova-ca serve runs its timers', () => {
  let ca: TestCa;
  let server: RunningServer;
  beforeAll(async () => {
    ca = await createTestCa({ db: 'sqlite', port: 0 });
    // Periods of about a second, so the test sees several.
    const configFile = join(ca.dir, 'obnova-ca.json');
    const config = JSON.parse(readFileSync(configFile, 'utf8')) as { crl: { refreshMinutes: number } };
    writeFileSync(configFile, JSON.stringify({ ...config, crl: { ...config.crl, refreshMinutes: 0.02 } }));
    widenRenewalWindow(ca.dir, { admin: { port: null }, expireOrdersEveryMinutes: 0.02 });
    server = await startServer(ca.dir, { port: 0 });
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await ca?.cleanup();
  });

  it('expires an unpaid order past its due date and signs fresh CRLs without being asked', async () => {
    const ctx = await renewalContext(server.service);
    const [holder] = await makeHolders(ctx, 1, '95');
    const placed = await placeOrderOverHttp(server.url, holder!);
    expect(placed.status).toBe(201);
    const orderId = ((await placed.json()) as { orderId: string }).orderId;
    const crlsBefore = Number((await sql<{ n: number }>`select count(*) as n from crls where issuer = 'issuing'`.execute(server.service.db)).rows[0]!.n);
    await ctx.db.updateTable('renewal_orders').set({ due_at: new Date(Date.now() - 60_000).toISOString() }).where('id', '=', orderId).execute();

    let status = '';
    for (let waited = 0; waited < 30_000 && status !== 'expired'; waited += 250) {
      await new Promise((r) => setTimeout(r, 250));
      status = (await ctx.db.selectFrom('renewal_orders').select('status').where('id', '=', orderId).executeTakeFirstOrThrow()).status;
    }
    expect(status).toBe('expired');
    let crls = crlsBefore;
    for (let waited = 0; waited < 30_000 && crls < crlsBefore + 2; waited += 250) {
      await new Promise((r) => setTimeout(r, 250));
      crls = Number((await sql<{ n: number }>`select count(*) as n from crls where issuer = 'issuing'`.execute(server.service.db)).rows[0]!.n);
    }
    expect(crls).toBeGreaterThanOrEqual(crlsBefore + 2);
    const run = await server.service.db.selectFrom('job_runs').selectAll().where('name', '=', 'order-expiry').executeTakeFirstOrThrow();
    expect(run.started_by).toMatch(/:\d+$/);
  }, 90_000);
});
