/**
 * GET /metrics on the admin listener of a served CA, scraped as Prometheus would (bearer token,
 * text format 0.0.4) after real traffic: requests by route pattern and status with latencies,
 * orders by state and certificates issued from the database, OCSP answers by status (openssl ocsp
 * and a malformed request), the HSM signing queue.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unloadAllModules } from '../../../src-service/hsm/pkcs11-module.js';
import { renewalContext } from '../../../src-service/renewal/renewal-context.js';
import { startServer, type RunningServer } from '../../../src-service/server.js';
import { makeHolders, type SimHolder } from '../../helpers/renewal/load-run.js';
import { placeOrderOverHttp, widenRenewalWindow } from '../../helpers/renewal/protocol-client.js';
import { createTestCa, type TestCa } from '../../helpers/service/ca-factory.js';
import { runToolAsync } from '../../helpers/service/openssl.js';
import { useSoftHsmEnv } from '../../helpers/service/softhsm-env.js';

const hsm = useSoftHsmEnv('obnova-metrics-hsm-');
const adminToken = 'metrics-admin-token-0123456789abcdef';
let ca: TestCa;
let server: RunningServer;
let holder: SimHolder;

/** The value of one sample line `name{labels} value`, labels in prom-client's order; undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = (m[2] ?? '').split(',').filter(Boolean);
    if (wanted.every((w) => have.includes(w))) return Number(m[3]);
  }
  return undefined;
}

beforeAll(async () => {
  ca = await createTestCa({ db: 'sqlite', port: 0 });
  widenRenewalWindow(ca.dir, { admin: { port: 0 } });
  process.env.OBNOVA_ADMIN_TOKEN = adminToken;
  server = await startServer(ca.dir, { port: 0 });
  holder = (await makeHolders(await renewalContext(server.service), 1, '93'))[0]!;
}, 120_000);
afterAll(async () => {
  delete process.env.OBNOVA_ADMIN_TOKEN;
  await server?.close();
  unloadAllModules();
  await ca?.cleanup();
  hsm.cleanup();
});

describe('GET /metrics on the admin listener', () => {
  it('is behind the admin token and not on the public listener', async () => {
    expect((await fetch(`${server.adminUrl}/metrics`)).status).toBe(401);
    expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
  });

  it('reports requests, latencies, orders, certificates, OCSP answers and the HSM queue after real traffic', async () => {
    const placed = await placeOrderOverHttp(server.url, holder);
    expect(placed.status).toBe(201);
    for (let i = 0; i < 2; i++) expect((await fetch(`${server.url}/ca/issuing.cer`)).status).toBe(200);
    expect((await fetch(`${server.url}/ca/nothing.cer`)).status).toBe(404);
    const certFile = join(ca.dir, 'holder.pem');
    writeFileSync(certFile, `-----BEGIN CERTIFICATE-----\n${Buffer.from(holder.certificate.der).toString('base64')}\n-----END CERTIFICATE-----\n`);
    const ocsp = await runToolAsync('openssl', ['ocsp', '-issuer', join(ca.dir, 'issuing.pem'), '-cert', certFile, '-url', `${server.url}/ocsp`, '-CAfile', join(ca.dir, 'root.pem')]);
    expect(ocsp.stdout).toContain(': good');
    await fetch(`${server.url}/ocsp`, { method: 'POST', body: 'not DER', headers: { 'content-type': 'application/ocsp-request' } });

    const scrape = await fetch(`${server.adminUrl}/metrics`, { headers: { authorization: `Bearer ${adminToken}` } });
    expect(scrape.status).toBe(200);
    expect(scrape.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await scrape.text();
    expect(sample(text, 'obnova_http_requests_total', { method: 'GET', route: '/ca/:name', status: '200' })).toBe(2);
    // Unrouted URLs share one label (the public /metrics probe above, /ca/nothing.cer): no URL becomes a series.
    expect(sample(text, 'obnova_http_requests_total', { method: 'GET', route: 'unmatched', status: '404' })).toBe(2);
    expect(sample(text, 'obnova_http_requests_total', { method: 'POST', route: '/v1/orders', status: '201' })).toBe(1);
    expect(sample(text, 'obnova_http_request_duration_seconds_count', { method: 'GET', route: '/ca/:name' })).toBe(2);
    expect(sample(text, 'obnova_http_request_duration_seconds_bucket', { le: '+Inf', method: 'GET', route: '/ca/:name' })).toBe(2);
    expect(text).not.toContain(holder.certificate.serialNumber);
    expect(sample(text, 'obnova_orders', { status: 'awaiting-payment' })).toBe(1);
    expect(sample(text, 'obnova_certificates_issued', { kind: 'original' })).toBe(1);
    expect(sample(text, 'obnova_database_up')).toBe(1);
    expect(sample(text, 'obnova_ocsp_responses_total', { status: 'good' })).toBe(1);
    expect(sample(text, 'obnova_ocsp_responses_total', { status: 'malformedRequest' })).toBe(1);
    expect(sample(text, 'obnova_hsm_sign_queue_depth')).toBe(0);
    expect(sample(text, 'obnova_hsm_sign_errors_total', { reason: 'queue-full' })).toBe(0);
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  });
});
