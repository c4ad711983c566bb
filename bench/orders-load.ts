/**
 * Mass renewal on loopback: N simulated holders (default 500) order, get marked paid and pick up
 * concurrently through the renewal API, on SQLite and PostgreSQL. Checks that no order is lost or
 * duplicated and no certificate is issued twice; prints p50/p99 latency, retries after 429/503,
 * and the elapsed time. Bounded: each run stops with an error after `deadline` seconds.
 *
 *   npx tsx bench/orders-load.ts [holders=500] [concurrency=50] [deadline=240] [sqlite,postgres]
 */
import 'reflect-metadata';
import { unloadAllModules } from '../src-service/hsm/pkcs11-module.js';
import { makeHolders, percentile, runLoad } from '../tests/helpers/renewal/load-run.js';
import { renewalFixture } from '../tests/helpers/renewal/renewal-fixture.js';
import { useSoftHsmEnv } from '../tests/helpers/service/softhsm-env.js';

const holders = Number(process.argv[2] ?? 500);
const concurrency = Number(process.argv[3] ?? 50);
const deadline = Number(process.argv[4] ?? 240) * 1000;
const kinds = (process.argv[5] ?? 'sqlite,postgres').split(',') as ('sqlite' | 'postgres')[];

const hsm = useSoftHsmEnv('obnova-bench-load-');
let failed = false;
try {
  for (const db of kinds) {
    const f = await renewalFixture({ db, rateLimit: { limit: 1_000_000, windowSeconds: 60 }, maxInFlight: 64 });
    try {
      const t0 = performance.now();
      const sim = await makeHolders(f.ctx, holders, db === 'sqlite' ? '61' : '62');
      const setupMs = performance.now() - t0;
      const run = await runLoad([f.app], f.ctx, sim, concurrency, deadline);
      const orders = await f.ctx.db.selectFrom('renewal_orders').select(['id', 'status', 'new_certificate_serial']).execute();
      const renewals = await f.ctx.db.selectFrom('certificates').select('serial').where('kind', '=', 'renewal').execute();
      const ok =
        orders.length === holders &&
        new Set(orders.map((o) => o.id)).size === holders &&
        orders.every((o) => o.status === 'issued' && o.new_certificate_serial) &&
        renewals.length === holders &&
        new Set(run.certificates.values()).size === holders;
      failed ||= !ok;
      console.log(
        `[${db}] ${holders} holders, concurrency ${concurrency}: ${ok ? 'OK' : 'MISMATCH'} — orders ${orders.length}, certificates ${renewals.length}; ` +
          `${(run.elapsedMs / 1000).toFixed(1)} s (setup ${(setupMs / 1000).toFixed(1)} s), ${run.latenciesMs.length} requests, ${run.retries} retries after 429/503, ` +
          `p50 ${percentile(run.latenciesMs, 50).toFixed(0)} ms, p99 ${percentile(run.latenciesMs, 99).toFixed(0)} ms, ${(holders / (run.elapsedMs / 1000)).toFixed(1)} renewals/s`,
      );
    } finally {
      await f.close();
    }
  }
} finally {
  unloadAllModules();
  hsm.cleanup();
}
process.exitCode = failed ? 1 : 0;
