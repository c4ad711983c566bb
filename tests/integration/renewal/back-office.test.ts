/**
 * The back office: the admin API (separate app, loopback, token) and the `obnova-ca` renewal
 * commands run as child processes — orders list/show/mark-paid, payments import, and the
 * new-media path (cards produce onto a new SoftHSM token, ship, delivered), notifications.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHolder } from '../../../src-service/db/holders-repository.js';
import { unloadAllModules } from '../../../src-service/hsm/pkcs11-module.js';
import { buildAdminApp, startAdminServer } from '../../../src-service/renewal/admin/admin-app.js';
import { orderCreatedSchema, type OrderCreated } from '../../../src-shared/contract/protocol/order.js';
import { toPem } from '../../../src-shared/pki/pem.js';
import { camt053 } from '../../helpers/renewal/camt053.js';
import { issueTestCard, type TestCard } from '../../helpers/renewal/card.js';
import { challenge, orderDocument, postCms } from '../../helpers/renewal/protocol-client.js';
import { renewalFixture, type RenewalFixture } from '../../helpers/renewal/renewal-fixture.js';
import { runCaCli } from '../../helpers/renewal/run-ca-cli.js';
import { runTool } from '../../helpers/service/openssl.js';
import { useSoftHsmEnv } from '../../helpers/service/softhsm-env.js';

const hsm = useSoftHsmEnv('obnova-renewal-office-');
const token = 'test-admin-token-0123456789abcdef';

describe('renewal back office', () => {
  let f: RenewalFixture;
  const cards: TestCard[] = [];
  const orders: OrderCreated[] = [];
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    // renewalsPerCard 0: every renewal ships a new card, so the new-media path is exercised directly.
    f = await renewalFixture({ db: 'sqlite', policy: (p) => ({ ...p, renewalsPerCard: 0 }) });
    env = { OBNOVA_CA_DIR: f.ca.dir, SOFTHSM2_CONF: hsm.conf, OBNOVA_CA_ACTOR: 'cli:test' };
    for (const [i, name] of [['Maja', 'Horvat'], ['Luka', 'Kovac']].entries()) {
      const holder = await createHolder(f.service.db, { kind: 'natural', country: 'SI', givenName: name![0]!, surname: name![1]!, personalNumber: `050598050012${i}`, email: `h${i}@example.si` }, 'test');
      const card = await issueTestCard(f.service, holder.id, `office-${i}`);
      cards.push(card);
      const r = await postCms(f.app, '/v1/orders', await card.sign(orderDocument(await challenge(f.app), card.certificate.serialNumber)));
      expect(r.statusCode, r.body).toBe(201);
      orders.push(orderCreatedSchema.parse(r.json()));
    }
  }, 60_000);
  afterAll(async () => {
    for (const c of cards) c.close();
    await f?.close();
    unloadAllModules();
    hsm.cleanup();
  });

  it('keeps admin actions off the public API and behind the token on the admin app', async () => {
    expect((await f.app.inject({ method: 'GET', url: '/admin/orders' })).statusCode).toBe(404);
    expect((await f.app.inject({ method: 'POST', url: `/admin/orders/${orders[0]!.orderId}/mark-paid` })).statusCode).toBe(404);
    const admin = await buildAdminApp(f.ctx, token);
    try {
      expect((await admin.inject({ method: 'GET', url: '/admin/orders' })).statusCode).toBe(401);
      expect((await admin.inject({ method: 'GET', url: '/admin/orders', headers: { authorization: 'Bearer wrong' } })).json().code).toBe('RENEWAL_UNAUTHORIZED');
      const list = await admin.inject({ method: 'GET', url: '/admin/orders?status=awaiting-payment', headers: { authorization: `Bearer ${token}` } });
      expect(list.statusCode).toBe(200);
      expect(list.json().map((o: { id: string }) => o.id).sort()).toEqual(orders.map((o) => o.orderId).sort());
      expect(JSON.stringify(list.json())).not.toContain('accessToken');
      const xml = camt053('ADMIN-1', f.ctx.policy.payee.account, [{ amount: orders[1]!.invoice.amount.gross, currency: 'EUR', reference: orders[1]!.invoice.reference }]);
      const imported = await admin.inject({ method: 'POST', url: '/admin/payments/import', payload: xml, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/xml' } });
      expect(imported.json()[0]).toMatchObject({ outcome: 'matched', orderId: orders[1]!.orderId });
    } finally {
      await admin.close();
    }
    await expect(startAdminServer(f.ctx, { host: '0.0.0.0', port: 0, token })).rejects.toThrow(/loopback/);
    const running = await startAdminServer(f.ctx, { host: '127.0.0.1', port: 0, token });
    try {
      const res = await fetch(`${running.url}/admin/orders/${orders[1]!.orderId}`, { headers: { authorization: `Bearer ${token}` } });
      expect(((await res.json()) as { status: string }).status).toBe('paid');
    } finally {
      await running.app.close();
    }
  });

  // Each obnova-ca run is a child process (~4 s to start under tsx), hence the longer timeouts below.
  it('lists, shows and marks orders paid from the command line, and imports a statement', () => {
    const list = runCaCli(['orders', 'list'], env);
    expect(list.status, list.stderr).toBe(0);
    expect(list.stdout).toContain(orders[0]!.orderId);
    const xml = join(f.ca.dir, 'statement.xml');
    writeFileSync(xml, camt053('CLI-1', f.ctx.policy.payee.account, [{ amount: 100, currency: 'EUR', reference: orders[0]!.invoice.reference }, { amount: 200, currency: 'EUR' }]));
    const imported = runCaCli(['payments', 'import', xml], env);
    expect(imported.status, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/amount-mismatch/);
    expect(imported.stdout).toMatch(/unmatched/);
    expect(imported.stdout).toContain('0 matched, 2 to check by hand');
    const paid = runCaCli(['orders', 'mark-paid', orders[0]!.orderId], env);
    expect(paid.stdout).toContain('is paid');
    const show = runCaCli(['orders', 'show', orders[0]!.orderId, '--json'], env);
    expect(JSON.parse(show.stdout).timeline.map((t: { status: string }) => t.status)).toEqual(['awaiting-payment', 'paid']);
  }, 150_000);

  it('produces a new card with the renewed certificate and a new PIN and PUK, then ships it', async () => {
    const id = orders[0]!.orderId;
    const produced = runCaCli(['cards', 'produce', id, '--json', '--key-spec', 'EC-P256'], env);
    expect(produced.status, produced.stderr).toBe(0);
    const out = JSON.parse(produced.stdout) as { status: string; tokenLabel: string; serial: string; mailer: { pin: string; puk: string } };
    expect(out.status).toBe('card-in-production');
    expect(out.mailer.pin).toMatch(/^\d{6}$/);
    expect(out.mailer.puk).toMatch(/^\d{8}$/);
    // The certificate is on the new token, next to its key, and chains to the CA.
    const pem = runTool('pkcs11-tool', ['--module', '/usr/lib/softhsm/libsofthsm2.so', '--token-label', out.tokenLabel, '--list-objects', '--type', 'cert']);
    expect(pem.stdout).toContain('Certificate Object');
    const cert = await f.ctx.db.selectFrom('certificates').select(['der', 'card_id']).where('serial', '=', out.serial).executeTakeFirstOrThrow();
    const file = join(f.ca.dir, 'new-card.pem');
    writeFileSync(file, toPem(new Uint8Array(cert.der), 'CERTIFICATE'));
    expect(runTool('openssl', ['verify', '-CAfile', f.ca.config.certificates.root, '-untrusted', f.ca.config.certificates.issuing, file]).stdout).toContain(': OK');
    expect(cert.card_id).not.toBe(cards[0]!.issued.cardId);
    expect(runCaCli(['cards', 'ship', id], env).stdout).toContain('card-shipped');
    expect(runCaCli(['cards', 'delivered', id], env).stdout).toContain('issued');
    const notes = runCaCli(['notifications'], env);
    expect(notes.stdout).toContain('Kartica poslana');
    expect(notes.stdout).toContain('novo kartico z novim PIN in PUK');
    expect(notes.stdout).not.toContain(out.mailer.pin);
  }, 150_000);
});
