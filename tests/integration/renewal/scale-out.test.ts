/**
 * Scale-out and bounded load: two service instances (this process and a child `serve` process, each with its own HSM session and pool)
 * on one PostgreSQL database share nonces and the pickup claim — the same pickup sent to both at
 * once issues exactly one certificate. Then 50 simulated holders order and pick up concurrently
 * on SQLite and PostgreSQL: no order lost or duplicated, no certificate issued twice.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { spkiFingerprint } from '../../../src-service/ca/key-identifiers.js';
import { unloadAllModules } from '../../../src-service/hsm/pkcs11-module.js';
import { markPaid } from '../../../src-service/renewal/admin-actions.js';
import { signCms } from '../../../src-shared/pki/cms-sign.js';
import { startChildInstance, type ChildInstance } from '../../helpers/renewal/instance.js';
import { makeHolders, percentile, runLoad } from '../../helpers/renewal/load-run.js';
import { orderDocument, pickupDocument } from '../../helpers/renewal/protocol-client.js';
import { renewalFixture, type RenewalFixture } from '../../helpers/renewal/renewal-fixture.js';
import { makeCsr } from '../../helpers/service/csr.js';
import { useSoftHsmEnv } from '../../helpers/service/softhsm-env.js';

const hsm = useSoftHsmEnv('obnova-renewal-scale-');
afterAll(() => {
  unloadAllModules();
  hsm.cleanup();
});

const cmsHeaders = { 'content-type': 'application/pkcs7-mime' };
const adminToken = 'scale-out-admin-token-0123456789';

describe('two instances on one PostgreSQL', () => {
  let f: RenewalFixture;
  let b: ChildInstance;
  let urls: string[];

  const post = (base: string, url: string, body: Uint8Array) => fetch(`${base}${url}`, { method: 'POST', body: Buffer.from(body), headers: cmsHeaders });
  const nonceFrom = async (base: string) => ((await (await fetch(`${base}/v1/challenges`, { method: 'POST' })).json()) as { nonce: string }).nonce;

  beforeAll(async () => {
    f = await renewalFixture({ db: 'postgres', rateLimit: { limit: 100_000, windowSeconds: 60 } });
    // Instance B reads the same CA directory: policy and limits from obnova-renewal.json, no admin API.
    mkdirSync(join(f.ca.dir, 'policy'));
    writeFileSync(join(f.ca.dir, 'policy', 'si.json'), JSON.stringify(f.ctx.policy));
    writeFileSync(join(f.ca.dir, 'obnova-renewal.json'), JSON.stringify({ policyDir: 'policy', admin: { port: 0 }, rateLimit: { limit: 100_000, windowSeconds: 60 } }));
    b = await startChildInstance(f.ca.dir, { SOFTHSM2_CONF: hsm.conf, OBNOVA_ADMIN_TOKEN: adminToken });
    await f.app.listen({ host: '127.0.0.1', port: 0 });
    const address = f.app.server.address();
    urls = [`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`, b.url];
  }, 60_000);
  afterAll(async () => {
    await b?.stop();
    await f?.close();
  });

  it('runs the admin API of a served instance on loopback, behind its token', async () => {
    expect(b.adminUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${b.adminUrl}/admin/orders`)).status).toBe(401);
    const list = await fetch(`${b.adminUrl}/admin/orders`, { headers: { authorization: `Bearer ${adminToken}` } });
    expect(list.status).toBe(200);
    expect((await fetch(`${b.url}/admin/orders`, { headers: { authorization: `Bearer ${adminToken}` } })).status).toBe(404);
  });

  it('honours a nonce from one instance at the other, for one order', async () => {
    const [h] = await makeHolders(f.ctx, 1, '71');
    const nonce = await nonceFrom(urls[1]!);
    const body = await signCms(orderDocument(nonce, h!.certificate.serialNumber), h!.signer);
    const answers = await Promise.all(urls.map((u) => post(u, '/v1/orders', body)));
    // One makes the order; the other, depending on who commits first, finds the nonce taken (409) or — the
    // same signed order arriving again — answers with that order (200).
    const statuses = answers.map((r) => r.status).sort();
    expect([[201, 409], [200, 201]]).toContainEqual(statuses);
    const bodies = await Promise.all(answers.map(async (r) => (await r.json()) as { code?: string; orderId?: string }));
    if (statuses[0] === 200) expect(bodies[0]!.orderId).toBe(bodies[1]!.orderId);
    else expect(bodies.map((b) => b.code)).toContain('RENEWAL_CHALLENGE_USED');
    expect(await f.ctx.db.selectFrom('renewal_orders').select('id').where('certificate_serial', '=', h!.certificate.serialNumber).execute()).toHaveLength(1);
  });

  it('issues exactly one certificate when the same pickup reaches both instances at once', async () => {
    const holders = await makeHolders(f.ctx, 3, '72');
    for (const h of holders) {
      const placed = await post(urls[1]!, '/v1/orders', await signCms(orderDocument(await nonceFrom(urls[0]!), h.certificate.serialNumber), h.signer));
      expect(placed.status).toBe(201);
      const orderId = ((await placed.json()) as { orderId: string }).orderId;
      await markPaid(f.ctx, orderId, 'test');
      const csr = await makeCsr('EC-P256');
      const body = await signCms(pickupDocument(orderId, csr.der), h.signer);
      const answers = await Promise.all([0, 1, 2, 3].map((i) => post(urls[i % 2]!, `/v1/orders/${orderId}/certificate`, body)));
      expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200]);
      const serials = await Promise.all(answers.map(async (r) => ((await r.json()) as { serial: string }).serial));
      expect(new Set(serials).size).toBe(1);
      const issued = await f.ctx.db.selectFrom('certificates').select('serial').where('holder_id', '=', h.holderId).where('kind', '=', 'renewal').execute();
      expect(issued).toHaveLength(1);
    }
  });

  it('lets another key take over the stale claim of a pickup whose process died before storing anything', async () => {
    const [h] = await makeHolders(f.ctx, 1, '74');
    const placed = await post(urls[0]!, '/v1/orders', await signCms(orderDocument(await nonceFrom(urls[0]!), h!.certificate.serialNumber), h!.signer));
    const orderId = ((await placed.json()) as { orderId: string }).orderId;
    await markPaid(f.ctx, orderId, 'test');
    // The dead process had claimed the order for its key 2 minutes ago; its transaction never committed, so nothing was stored.
    const [dead, retry] = [await makeCsr('EC-P256'), await makeCsr('EC-P256')];
    const deadKey = spkiFingerprint(new Uint8Array(new x509.Pkcs10CertificateRequest(dead.der).publicKey.rawData));
    await f.ctx.db
      .updateTable('renewal_orders')
      .set({ pickup_spki_sha256: deadKey, pickup_claimed_at: new Date(Date.now() - 120_000).toISOString() })
      .where('id', '=', orderId)
      .execute();
    const r = await post(urls[1]!, `/v1/orders/${orderId}/certificate`, await signCms(pickupDocument(orderId, retry.der), h!.signer));
    expect(r.status).toBe(200);
    const issued = await f.ctx.db.selectFrom('certificates').select(['serial', 'order_id']).where('holder_id', '=', h!.holderId).where('kind', '=', 'renewal').execute();
    expect(issued).toEqual([{ serial: ((await r.json()) as { serial: string }).serial, order_id: orderId }]);
  });

  it('issues for one key only when two different keys race for the same order', async () => {
    const [h] = await makeHolders(f.ctx, 1, '73');
    const placed = await post(urls[0]!, '/v1/orders', await signCms(orderDocument(await nonceFrom(urls[1]!), h!.certificate.serialNumber), h!.signer));
    const orderId = ((await placed.json()) as { orderId: string }).orderId;
    await markPaid(f.ctx, orderId, 'test');
    const [k1, k2] = [await makeCsr('EC-P256'), await makeCsr('EC-P256')];
    const answers = await Promise.all([
      post(urls[0]!, `/v1/orders/${orderId}/certificate`, await signCms(pickupDocument(orderId, k1.der), h!.signer)),
      post(urls[1]!, `/v1/orders/${orderId}/certificate`, await signCms(pickupDocument(orderId, k2.der), h!.signer)),
    ]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
    const codes = await Promise.all(answers.map(async (r) => ((await r.json()) as { code?: string }).code));
    expect(codes).toContain('ORDER_ALREADY_ISSUED');
    expect(await f.ctx.db.selectFrom('certificates').select('serial').where('holder_id', '=', h!.holderId).where('kind', '=', 'renewal').execute()).toHaveLength(1);
  });
});

describe.each(['sqlite', 'postgres'] as const)('50 holders at once on %s', (dbKind) => {
  let f: RenewalFixture;
  beforeAll(async () => {
    f = await renewalFixture({ db: dbKind, rateLimit: { limit: 100_000, windowSeconds: 60 }, maxInFlight: 24 });
  }, 60_000);
  afterAll(async () => f?.close());

  it('loses, duplicates and double-issues nothing', async () => {
    const holders = await makeHolders(f.ctx, 50, dbKind === 'sqlite' ? '81' : '82');
    const run = await runLoad([f.app], f.ctx, holders, 25, 50_000);
    expect(run.orders.size).toBe(50);
    expect(new Set(run.orders.values()).size).toBe(50);
    expect(new Set(run.certificates.values()).size).toBe(50);
    const orders = await f.ctx.db.selectFrom('renewal_orders').select(['id', 'status', 'new_certificate_serial']).execute();
    expect(orders).toHaveLength(50);
    expect(orders.every((o) => o.status === 'issued' && o.new_certificate_serial)).toBe(true);
    const renewals = await f.ctx.db.selectFrom('certificates').select('serial').where('kind', '=', 'renewal').execute();
    expect(renewals).toHaveLength(50);
    console.log(`[${dbKind}] 50 holders: ${run.elapsedMs} ms, ${run.latenciesMs.length} requests, ${run.retries} retries after 429/503, p50 ${percentile(run.latenciesMs, 50).toFixed(1)} ms, p99 ${percentile(run.latenciesMs, 99).toFixed(1)} ms`);
  }, 60_000);
});
