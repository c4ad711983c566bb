/**
 * The demo hook `demo.autoConfirmPaymentsAfterMs`: an order placed through the real API is marked
 * paid (and made ready for pickup) only once it is older than the delay, audited as the demo actor.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHolder } from '../../../src-service/db/holders-repository.js';
import { unloadAllModules } from '../../../src-service/hsm/pkcs11-module.js';
import { demoAutoConfirmActor, startDemoAutoConfirm } from '../../../src-service/renewal/demo-auto-confirm.js';
import { getOrder } from '../../../src-service/renewal/orders/order-repository.js';
import { orderCreatedSchema, type OrderCreated } from '../../../src-shared/contract/protocol/order.js';
import { issueTestCard, type TestCard } from '../../helpers/renewal/card.js';
import { challenge, orderDocument, postCms } from '../../helpers/renewal/protocol-client.js';
import { renewalFixture, type RenewalFixture } from '../../helpers/renewal/renewal-fixture.js';
import { useSoftHsmEnv } from '../../helpers/service/softhsm-env.js';

const hsm = useSoftHsmEnv('obnova-demo-confirm-');

describe('demo: auto-confirmed payments', () => {
  let f: RenewalFixture;
  let card: TestCard;
  let order: OrderCreated;

  beforeAll(async () => {
    f = await renewalFixture({ db: 'sqlite' });
    const holder = await createHolder(f.service.db, { kind: 'natural', country: 'SI', givenName: 'Ana', surname: 'Novak', personalNumber: '0101990500123', email: 'ana@example.si' }, 'test');
    card = await issueTestCard(f.service, holder.id, 'demo-confirm');
    const r = await postCms(f.app, '/v1/orders', await card.sign(orderDocument(await challenge(f.app), card.certificate.serialNumber)));
    expect(r.statusCode, r.body).toBe(201);
    order = orderCreatedSchema.parse(r.json());
  }, 60_000);
  afterAll(async () => {
    card?.close();
    await f?.close();
    unloadAllModules();
    hsm.cleanup();
  });

  it('is refused unless the service listens on loopback', () => {
    expect(() => startDemoAutoConfirm(f.ctx, { afterMs: 0, host: '0.0.0.0' })).toThrow(expect.objectContaining({ code: 'CA_CONFIG_INVALID' }));
    expect(() => startDemoAutoConfirm(f.ctx, { afterMs: 0, host: '192.168.1.5' })).toThrow(expect.objectContaining({ code: 'CA_CONFIG_INVALID' }));
  });

  it('leaves a younger order unpaid and marks it paid once the delay has passed', async () => {
    const early = startDemoAutoConfirm(f.ctx, { afterMs: 60_000, host: '127.0.0.1', pollMs: 3_600_000 });
    try {
      expect(await early.tick()).toEqual([]);
      expect((await getOrder(f.ctx.db, order.orderId)).status).toBe('awaiting-payment');
    } finally {
      early.stop();
    }
    const later = { ...f.ctx, now: () => new Date(Date.now() + 61_000) };
    const hook = startDemoAutoConfirm(later, { afterMs: 60_000, host: 'localhost', pollMs: 3_600_000 });
    try {
      expect(await hook.tick()).toEqual([order.orderId]);
      expect((await getOrder(f.ctx.db, order.orderId)).status).toBe('ready-for-pickup');
      expect(await hook.tick()).toEqual([]);
    } finally {
      hook.stop();
    }
    const audit = await f.service.db.selectFrom('audit_log').select(['actor']).where('subject', '=', order.orderId).execute();
    expect(audit.map((a) => a.actor)).toContain(demoAutoConfirmActor);
  });

  it('polls on its own when started with a short delay', async () => {
    const r = await postCms(f.app, '/v1/orders', await card.sign(orderDocument(await challenge(f.app), card.certificate.serialNumber)));
    // The first order is no longer open (ready-for-pickup still is), so the same order may come back: either way it ends paid.
    const id = orderCreatedSchema.parse(r.json()).orderId;
    const hook = startDemoAutoConfirm(f.ctx, { afterMs: 0, host: '::1', pollMs: 50 });
    try {
      await expect.poll(async () => (await getOrder(f.ctx.db, id)).status, { timeout: 5000 }).toBe('ready-for-pickup');
    } finally {
      hook.stop();
    }
  });
});
