/**
 * Signed orders accepted per second by POST /v1/orders (app.inject, SQLite or PostgreSQL) against
 * the CMS-verify bound measured in the same run on the same blobs: `verifyCms` with the chain to
 * the CA (the same two signature checks an order needs: the CMS and the certificate's issuer).
 * Orders are signed before the clock starts; each has its own holder and nonce. Rates are given
 * per wall-clock second and per CPU second of this process (steadier on a shared machine; for
 * PostgreSQL the server's own CPU is not in it).
 *
 *   npx tsx bench/orders-throughput.ts [count=200] [sqlite|postgres] [concurrency=8]
 */
import 'reflect-metadata';
import { unloadAllModules } from '../src-service/hsm/pkcs11-module.js';
import { Certificate } from '../src-shared/pki/certificate.js';
import { signCms } from '../src-shared/pki/cms-sign.js';
import { verifyCms } from '../src-shared/pki/cms-verify.js';
import { makeHolders } from '../tests/helpers/renewal/load-run.js';
import { orderDocument } from '../tests/helpers/renewal/protocol-client.js';
import { renewalFixture } from '../tests/helpers/renewal/renewal-fixture.js';
import { useSoftHsmEnv } from '../tests/helpers/service/softhsm-env.js';

const count = Number(process.argv[2] ?? 200);
const db = process.argv[3] === 'postgres' ? 'postgres' : 'sqlite';
const concurrency = Number(process.argv[4] ?? 8);

const hsm = useSoftHsmEnv('obnova-bench-orders-');
const f = await renewalFixture({ db, rateLimit: { limit: 1_000_000, windowSeconds: 60 }, maxInFlight: 1024 });
try {
  const holders = await makeHolders(f.ctx, count, '91');
  const blobs: Uint8Array[] = [];
  for (const h of holders) {
    const nonce = (f.app.inject({ method: 'POST', url: '/v1/challenges' }) as unknown as Promise<{ json(): { nonce: string } }>);
    blobs.push(await signCms(orderDocument((await nonce).json().nonce, h.certificate.serialNumber), h.signer));
  }
  const anchors = [await Certificate.fromDer(f.service.authority.root.der)];
  const intermediates = [f.ctx.issuing];
  for (let i = 0; i < 20; i++) await verifyCms(blobs[i % blobs.length]!, { chain: { trustAnchors: anchors, intermediates } });

  const cpuSeconds = (since: NodeJS.CpuUsage) => {
    const d = process.cpuUsage(since);
    return (d.user + d.system) / 1e6;
  };
  let t = performance.now();
  let cpu = process.cpuUsage();
  for (const der of blobs) await verifyCms(der, { chain: { trustAnchors: anchors, intermediates } });
  const verifyRate = count / ((performance.now() - t) / 1000);
  const verifyCpuRate = count / cpuSeconds(cpu);
  t = performance.now();
  cpu = process.cpuUsage();
  for (const der of blobs) await verifyCms(der);
  const verifyOnlyRate = count / ((performance.now() - t) / 1000);
  const verifyOnlyCpuRate = count / cpuSeconds(cpu);

  let next = 0;
  let accepted = 0;
  t = performance.now();
  cpu = process.cpuUsage();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < blobs.length) {
        const der = blobs[next++]!;
        const r = await f.app.inject({ method: 'POST', url: '/v1/orders', payload: Buffer.from(der), headers: { 'content-type': 'application/pkcs7-mime' } });
        if (r.statusCode === 201) accepted++;
        else throw new Error(`order refused: ${r.statusCode} ${r.body}`);
      }
    }),
  );
  const orderRate = accepted / ((performance.now() - t) / 1000);
  const orderCpuRate = accepted / cpuSeconds(cpu);
  const row = (name: string, wall: number, perCpu: number) =>
    `${name.padEnd(30)} ${wall.toFixed(1).padStart(7)}/s wall (×${(orderRate / wall).toFixed(2)})   ${perCpu.toFixed(1).padStart(7)}/CPU-s (×${(orderCpuRate / perCpu).toFixed(2)})`;
  console.log(`orders accepted (${db}, ${count}, concurrency ${concurrency}): ${orderRate.toFixed(1)}/s wall, ${orderCpuRate.toFixed(1)}/CPU-s; ratios below are orders ÷ bound (target ≥ 0.5)`);
  console.log(row('CMS verify + chain (bound)', verifyRate, verifyCpuRate));
  console.log(row('CMS verify, signature only', verifyOnlyRate, verifyOnlyCpuRate));
} finally {
  await f.close();
  unloadAllModules();
  hsm.cleanup();
}
