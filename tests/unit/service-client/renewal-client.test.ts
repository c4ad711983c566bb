import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRenewalClient } from '../../../src-main/service-client/renewal-client.js';
import { backoffDelay, parseRetryAfter } from '../../../src-main/service-client/retry-policy.js';
import type { ServiceWait } from '../../../src-main/service-client/service-wait.js';
import { ServiceProblemError } from '../../../src-main/service-client/http-call.js';
import { hangUp, jsonAnswer, problem, startLocalServer, type LocalServer } from './local-server.js';

const challenge = { nonce: 'A'.repeat(43), expiresAt: new Date(Date.now() + 60_000).toISOString() };
const fast = { maxAttempts: 5, baseDelayMs: 20, maxDelayMs: 2_000, timeoutMs: 1_000 };

let server: LocalServer;
beforeAll(async () => {
  server = await startLocalServer(jsonAnswer(challenge, 201));
});
afterAll(() => server.close());

function client(policy = fast) {
  return createRenewalClient({ baseUrl: `${server.url}/`, policy, random: () => 0.5 });
}

describe('retry policy', () => {
  it('reads Retry-After as seconds or an HTTP-date, and caps it', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(10_000);
    expect(parseRetryAfter('soon')).toBeNull();
    expect(backoffDelay(fast, 1, 120_000)).toBe(2_000);
    expect(backoffDelay(fast, 3, null, () => 1)).toBe(80);
    expect(backoffDelay(fast, 1, null, () => 0)).toBe(10);
  });
});

describe('renewal service client', () => {
  it('waits as long as Retry-After says on 429 and 503, telling what it waits for, then succeeds', async () => {
    const start = server.seen.length;
    server.push(problem(503, 'RENEWAL_OVERLOADED', { 'retry-after': '1' }), problem(429, 'RENEWAL_RATE_LIMITED', { 'retry-after': '1' }));
    const waits: ServiceWait[] = [];
    const answer = await client().challenge({ onWait: (w) => waits.push(w) });
    expect(answer).toEqual(challenge);
    const seen = server.seen.slice(start);
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual(['POST /v1/challenges', 'POST /v1/challenges', 'POST /v1/challenges']);
    expect(waits.map((w) => [w.operation, w.reason, w.status, w.delayMs, w.nextAttempt])).toEqual([
      ['challenge', 'RENEWAL_OVERLOADED', 503, 1000, 2],
      ['challenge', 'RENEWAL_RATE_LIMITED', 429, 1000, 3],
    ]);
    // Retry-After is honoured: each retry came at least a second after the refusal.
    expect(seen[1]!.at - seen[0]!.at).toBeGreaterThanOrEqual(950);
    expect(seen[2]!.at - seen[1]!.at).toBeGreaterThanOrEqual(950);
  });

  it('retries a dropped connection with backoff and sends the same body each time', async () => {
    const start = server.seen.length;
    server.push(hangUp, hangUp);
    const waits: ServiceWait[] = [];
    const cms = new Uint8Array([0x30, 0x80, 1, 2, 3]);
    server.push(jsonAnswer({ orderId: 'o1', accessToken: 't', status: 'awaiting-payment', path: 'existing-media', invoice: invoice() }, 201));
    const created = await client().placeOrder(cms, { onWait: (w) => waits.push(w) });
    expect(created.orderId).toBe('o1');
    expect(waits.map((w) => w.reason)).toEqual(['SERVICE_UNREACHABLE', 'SERVICE_UNREACHABLE']);
    const bodies = server.seen.slice(start).map((s) => s.body.toString('hex'));
    expect(bodies).toEqual(Array(3).fill('3080010203'));
    expect(server.seen.at(-1)!.headers['content-type']).toBe('application/pkcs7-mime');
  });

  it('can be cancelled while waiting; nothing more is sent', async () => {
    const start = server.seen.length;
    server.push(problem(503, 'RENEWAL_OVERLOADED', { 'retry-after': '30' }));
    const controller = new AbortController();
    const promise = client({ ...fast, maxDelayMs: 30_000 }).challenge({ signal: controller.signal, onWait: () => setTimeout(() => controller.abort(), 50) });
    await expect(promise).rejects.toMatchObject({ code: 'CANCELLED' });
    await new Promise((r) => setTimeout(r, 100));
    expect(server.seen.length - start).toBe(1);
  });

  it('does not retry a refusal; keeps the service code and the eligibility reasons', async () => {
    const start = server.seen.length;
    server.push((_req, res) => {
      res.writeHead(422, { 'content-type': 'application/problem+json' });
      res.end(JSON.stringify({ code: 'RENEWAL_NOT_ELIGIBLE', title: 'not eligible', status: 422, reasons: [{ code: 'RENEWAL_CERT_EXPIRED', message: 'expired', instead: 'apply-at-registration-office' }] }));
    });
    const error = await client().placeOrder(new Uint8Array([1])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceProblemError);
    expect(error).toMatchObject({ code: 'RENEWAL_NOT_ELIGIBLE', details: { status: 422, operation: 'order' }, reasons: [{ code: 'RENEWAL_CERT_EXPIRED' }] });
    expect(server.seen.length - start).toBe(1);
  });

  it('gives up after the last attempt with the last reason; an unknown service code is SERVICE_ERROR', async () => {
    server.push(...Array(3).fill(problem(503, 'RENEWAL_OVERLOADED', { 'retry-after': '0' })));
    await expect(client({ ...fast, maxAttempts: 3 }).challenge()).rejects.toMatchObject({ code: 'RENEWAL_OVERLOADED' });
    server.push(problem(500, 'SOMETHING_NEW'));
    await expect(client().challenge()).rejects.toMatchObject({ code: 'SERVICE_ERROR', details: { serviceCode: 'SOMETHING_NEW', status: 500 } });
  });

  it('rejects an answer that does not match the protocol as SERVICE_RESPONSE_INVALID', async () => {
    server.push(jsonAnswer({ nonce: 'short' }, 201));
    await expect(client().challenge()).rejects.toMatchObject({ code: 'SERVICE_RESPONSE_INVALID' });
    server.push((_req, res) => res.end('<html>proxy login</html>'));
    await expect(client().challenge()).rejects.toMatchObject({ code: 'SERVICE_RESPONSE_INVALID' });
  });

  it('a service that is not there at all is SERVICE_UNREACHABLE after the retries', async () => {
    const gone = createRenewalClient({ baseUrl: 'http://127.0.0.1:9', policy: { ...fast, maxAttempts: 2 } });
    await expect(gone.policy()).rejects.toMatchObject({ code: 'SERVICE_UNREACHABLE' });
  });

  it('sends the access token as a bearer token for status, invoice and installed', async () => {
    server.push((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/pdf' });
      res.end('%PDF-1.7\n');
    }, jsonAnswer({ orderId: 'o 1', status: 'completed' }));
    const pdf = await client().invoicePdf('o 1', 'secret-token');
    expect(new TextDecoder().decode(pdf)).toBe('%PDF-1.7\n');
    expect(await client().installed('o 1', 'secret-token', 'ab12')).toEqual({ orderId: 'o 1', status: 'completed' });
    const [a, b] = server.seen.slice(-2);
    expect(a!.url).toBe('/v1/orders/o%201/invoice.pdf');
    expect(a!.headers.authorization).toBe('Bearer secret-token');
    expect(JSON.parse(b!.body.toString())).toEqual({ serial: 'ab12' });
  });
});

function invoice() {
  return { number: 'P-1', currency: 'EUR', vatBasisPoints: 2200, amount: { net: 100, vat: 22, gross: 122 }, reference: 'SI12 1', issuedAt: new Date().toISOString(), dueAt: new Date().toISOString(), qrPayload: 'x', pdf: '/v1/orders/o1/invoice.pdf' };
}
