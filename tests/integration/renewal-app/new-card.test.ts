/**
 * A card already renewed on itself as often as the policy allows (renewalsPerCard 0 here): the order
 * takes the new-media path; the app shows where the new card is and, once it is inserted and the
 * delivery recorded, recognises the new certificate on it and completes the order.
 */
import { describe, expect, it } from 'vitest';
import { createNewCardFlow } from '../../../src-main/renewal/new-card-flow.js';
import { createRenewalClient } from '../../../src-main/service-client/renewal-client.js';
import { useRenewalApp } from './app-fixture.js';
import { placeOrderFor } from './order-fixture.js';

const app = useRenewalApp('obnova-app-new-card-', { holders: [['H1', 'Ana', 'Novak', '0101990500123']], ca: { policy: { renewalsPerCard: 0 } } });

describe('new card path', () => {
  it('shows "card in production" and "on its way", then recognises the inserted new card and completes', async () => {
    const card = await app.ca.issueCard('H1', 'old-card');
    const order = await placeOrderFor({ ...app, card, paid: false });
    expect(order.path).toBe('new-media');
    const client = () => createRenewalClient({ baseUrl: app.ca.url });
    const flow = createNewCardFlow({ client, store: app.store, listCertificates: () => app.tokens.listCertificates({}) });

    await app.ca.markPaid(order.orderId);
    await app.ca.cards('produce', order.orderId, 'new-card');
    const inProduction = await flow.completeNewCard(order.orderId);
    expect(inProduction).toMatchObject({ status: 'card-in-production', found: true });
    expect(inProduction.serial).toMatch(/^[0-9a-f]+$/);

    await app.ca.cards('ship', order.orderId);
    expect(await flow.completeNewCard(order.orderId)).toMatchObject({ status: 'card-shipped', found: true });

    await app.ca.cards('delivered', order.orderId);
    const done = await flow.completeNewCard(order.orderId);
    expect(done).toMatchObject({ status: 'completed', found: true, serial: inProduction.serial });
    expect(app.store.get(order.orderId)?.status).toBe('completed');
    const onNewCard = await app.tokens.listCertificates({ tokenLabel: 'new-card' });
    expect(onNewCard.certificates.some((c) => c.readable && c.serialNumber === done.serial && c.slotId === done.slotId)).toBe(true);
  }, 180_000);
});
