/**
 * A card already renewed on itself as often as the policy allows (renewalsPerCard 0 here): the order
 * takes the new-media path; the app shows where the new card is and, once it is inserted and the
 * delivery recorded, recognises the new certificate on it and completes the order.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrderStore, type OrderStore } from '../../../src-main/orders/order-store.js';
import { createNewCardFlow } from '../../../src-main/renewal/new-card-flow.js';
import { createOrderFlow } from '../../../src-main/renewal/order-flow.js';
import { createRenewalClient } from '../../../src-main/service-client/renewal-client.js';
import { resolveModule } from '../../../src-main/token/module-resolver.js';
import { createTokenService, type TokenService } from '../../../src-main/token/token-service.js';
import { useSoftHsmEnv } from '../../helpers/service/softhsm-env.js';
import { softhsmModule, startCaProcess, type CaProcess } from './ca-process.js';
import { cardCertificateSource } from './card-reader.js';

const hsm = useSoftHsmEnv('obnova-app-new-card-');
let ca: CaProcess;
let tokens: TokenService;
let store: OrderStore;
let appData: string;

beforeAll(async () => {
  ca = await startCaProcess({ policy: { renewalsPerCard: 0 } });
  await ca.addHolder('H1', 'Ana', 'Novak', '0101990500123');
  tokens = createTokenService({ module: resolveModule({ argument: softhsmModule, env: process.env }) });
  appData = mkdtempSync(join(tmpdir(), 'obnova-app-data-'));
  store = createOrderStore(appData);
}, 180_000);

afterAll(async () => {
  await tokens?.close();
  await ca?.cleanup();
  rmSync(appData, { recursive: true, force: true });
  hsm.cleanup();
});

describe('new card path', () => {
  it('shows "card in production" and "on its way", then recognises the inserted new card and completes', async () => {
    const card = await ca.issueCard('H1', 'old-card');
    const list = await tokens.listCertificates({ tokenLabel: card.tokenLabel });
    const entry = list.certificates.find((c) => c.readable && !c.isCertificateAuthority);
    if (!entry?.readable) throw new Error('no holder certificate');
    const ref = { slotId: entry.slotId, objectId: entry.objectId, fingerprintSha256: entry.fingerprintSha256 };
    const client = () => createRenewalClient({ baseUrl: ca.url });
    const orders = createOrderFlow({ certificateSource: cardCertificateSource(() => new Map([[entry.slotId, card.tokenLabel]])), card: tokens, client, serviceUrl: () => ca.url, store, tokenStorage: 'file' });
    const prep = await orders.prepareOrder(ref);
    expect(prep.path).toBe('new-media');
    const order = await orders.placeOrder({
      certificate: ref,
      document: { type: 'obnova.renewal-order', version: 1, market: 'si', nonce: prep.nonce, certificateSerial: prep.certificateSerial, billing: { name: 'Ana Novak', street: 'Trubarjeva 5', postalCode: '1000', city: 'Ljubljana', country: 'SI', vatId: null }, email: 'ana@example.si', locale: 'sl' },
      pin: card.pin,
    });
    expect(order.path).toBe('new-media');
    await tokens.logout(ref.slotId);
    const flow = createNewCardFlow({ client, store, listCertificates: () => tokens.listCertificates({}) });

    await ca.markPaid(order.orderId);
    await ca.cards('produce', order.orderId, 'new-card');
    const inProduction = await flow.completeNewCard(order.orderId);
    expect(inProduction).toMatchObject({ status: 'card-in-production', found: true });
    expect(inProduction.serial).toMatch(/^[0-9a-f]+$/);

    await ca.cards('ship', order.orderId);
    expect(await flow.completeNewCard(order.orderId)).toMatchObject({ status: 'card-shipped', found: true });

    await ca.cards('delivered', order.orderId);
    const done = await flow.completeNewCard(order.orderId);
    expect(done).toMatchObject({ status: 'completed', found: true, serial: inProduction.serial });
    expect(store.get(order.orderId)?.status).toBe('completed');
    const onNewCard = await tokens.listCertificates({ tokenLabel: 'new-card' });
    expect(onNewCard.certificates.some((c) => c.readable && c.serialNumber === done.serial && c.slotId === done.slotId)).toBe(true);
  }, 180_000);
});
