/**
 * Submit against the real service (child processes) and a SoftHSM card issued by it: prepare, the typed
 * order document checked against what was prepared, CMS signed on the card after one login, stored with
 * the access token in a 0600 file; status and invoice PDF fetched with it.
 */
import { statSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createOrderStore } from '../../../src-main/orders/order-store.js';
import { createOrderOutbox } from '../../../src-main/orders/order-outbox.js';
import { createOrderFlow, type OrderFlow } from '../../../src-main/renewal/order-flow.js';
import { createRenewalClient } from '../../../src-main/service-client/renewal-client.js';
import { placeOrderInputSchema } from '../../../src-shared/contract/schemas/renewal-order.js';
import type { CertificateRef } from '../../../src-shared/contract/schemas/renewal.js';
import { useRenewalApp } from './app-fixture.js';
import type { IssuedCard } from './ca-process.js';
import { cardCertificateSource } from './card-reader.js';
import { holderCertificate, personBilling } from './order-fixture.js';

const app = useRenewalApp('obnova-app-submit-', { holders: [['H1', 'Ana', 'Novak', '0101990500123']] });
const billing = personBilling;

let card: IssuedCard;
let flow: OrderFlow;
let ref: CertificateRef;
const slots = new Map<string, string>();

beforeAll(async () => {
  card = await app.ca.issueCard('H1', 'ana-card');
  ref = await holderCertificate(app.tokens, card.tokenLabel);
  slots.set(ref.slotId, card.tokenLabel);
  flow = createOrderFlow({
    certificateSource: cardCertificateSource(() => slots),
    card: app.tokens,
    client: () => createRenewalClient({ baseUrl: app.ca.url, policy: { maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 500, timeoutMs: 10_000 } }),
    serviceUrl: () => app.ca.url,
    store: createOrderStore(app.appData),
    outbox: createOrderOutbox(app.appData),
    tokenStorage: 'file',
  });
}, 180_000);

describe('Submit', () => {
  it('prepare gives a fresh nonce, the market, the certificate data to confirm and the price', async () => {
    const prep = await flow.prepareOrder(ref);
    expect(prep).toMatchObject({ market: 'si', certificateSerial: card.serial, currency: 'EUR', path: 'existing-media', holder: { givenName: 'Ana', surname: 'Novak', country: 'SI' } });
    expect(prep.nonce).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(prep.price?.gross).toBeGreaterThan(0);
  });

  it('refuses a document it did not prepare, for another certificate, or with fields the contract does not have — before any PIN is used', async () => {
    const prep = await flow.prepareOrder(ref);
    const document = { type: 'obnova.renewal-order' as const, version: 1 as const, market: prep.market, nonce: prep.nonce, certificateSerial: prep.certificateSerial, billing, email: 'ana@example.si', locale: 'sl' as const };
    await expect(flow.placeOrder({ certificate: ref, document: { ...document, nonce: 'x'.repeat(43) }, pin: card.pin })).rejects.toMatchObject({ code: 'RENEWAL_CHALLENGE_UNKNOWN' });
    await expect(flow.placeOrder({ certificate: ref, document: { ...document, certificateSerial: 'abcdef' }, pin: card.pin })).rejects.toMatchObject({ code: 'INPUT_INVALID' });
    expect(placeOrderInputSchema.safeParse({ certificate: ref, document: { ...document, amount: 1 }, pin: card.pin }).success).toBe(false);
    expect(await app.tokens.isLoggedIn(ref.slotId)).toBe(false);
  });

  it('a wrong PIN is TOKEN_PIN_INCORRECT and places nothing', async () => {
    const prep = await flow.prepareOrder(ref);
    const document = { type: 'obnova.renewal-order' as const, version: 1 as const, market: prep.market, nonce: prep.nonce, certificateSerial: prep.certificateSerial, billing, email: 'ana@example.si', locale: 'sl' as const };
    const wrong = card.pin === '000000' ? '111111' : '000000';
    await expect(flow.placeOrder({ certificate: ref, document, pin: wrong })).rejects.toMatchObject({ code: 'TOKEN_PIN_INCORRECT' });
    expect(flow.listOrders().orders).toHaveLength(0);
  });

  it('signs on the card after one login, places the order, keeps it with its token (0600), and tracks it', async () => {
    const prep = await flow.prepareOrder(ref);
    const document = { type: 'obnova.renewal-order' as const, version: 1 as const, market: prep.market, nonce: prep.nonce, certificateSerial: prep.certificateSerial, billing, email: 'ana@example.si', locale: 'sl' as const };
    const order = await flow.placeOrder({ certificate: ref, document, pin: card.pin });
    expect(order).toMatchObject({ status: 'awaiting-payment', path: 'existing-media', market: 'si', certificate: { serialNumber: card.serial }, tokenStorage: 'file' });
    expect(order.invoice.reference).toMatch(/^SI12/);
    const tokenFile = join(app.appData, 'orders', `${order.orderId}.token`);
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    expect(flow.listOrders().orders.map((o) => o.orderId)).toEqual([order.orderId]);

    await app.ca.markPaid(order.orderId);
    const refreshed = await flow.refreshOrder(order.orderId);
    expect(refreshed.status).toBe('ready-for-pickup');
    expect(refreshed.timeline.map((t) => t.status)).toEqual(expect.arrayContaining(['awaiting-payment', 'paid', 'ready-for-pickup']));
    const pdf = await flow.invoice(order.orderId);
    expect(Buffer.from(pdf.base64, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.fileName).toMatch(/\.pdf$/);
  });

  it('an answer lost on the way back: the retry sends the same signed bytes, the service answers with the order they made, nothing is re-signed', async () => {
    const first = flow.listOrders().orders[0]!;
    // A proxy that delivers the first POST /v1/orders to the service but drops its answer.
    let dropped = 0;
    const upstream = new URL(app.ca.url);
    const bodies = new Set<string>();
    const proxy = createServer((req, res) => {
      if (req.method === 'POST' && req.url === '/v1/orders') {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => bodies.add(Buffer.concat(chunks).toString('base64')));
      }
      const forward = httpRequest({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
        if (req.method === 'POST' && req.url === '/v1/orders' && dropped === 0) {
          dropped++;
          answer.resume();
          answer.on('end', () => req.socket.destroy());
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      req.pipe(forward);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    try {
      const lossy = createOrderFlow({
        certificateSource: cardCertificateSource(() => slots),
        card: app.tokens,
        client: () => createRenewalClient({ baseUrl: proxyUrl, policy: { maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 500, timeoutMs: 10_000 } }),
        serviceUrl: () => app.ca.url,
        store: createOrderStore(app.appData),
        outbox: createOrderOutbox(app.appData),
        tokenStorage: 'file',
      });
      const prep = await lossy.prepareOrder(ref);
      const document = { type: 'obnova.renewal-order' as const, version: 1 as const, market: prep.market, nonce: prep.nonce, certificateSerial: prep.certificateSerial, billing, email: 'ana@example.si', locale: 'sl' as const };
      const again = await lossy.placeOrder({ certificate: ref, document, pin: card.pin });
      expect(dropped).toBe(1);
      expect(bodies.size).toBe(1);
      expect(again.orderId).toBe(first.orderId);
      expect(lossy.listOrders().sending).toEqual([]);
      expect(flow.listOrders().orders).toHaveLength(1);
    } finally {
      proxy.closeAllConnections();
      await new Promise((r) => proxy.close(r));
    }
  });
});
