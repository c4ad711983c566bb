/**
 * Exactly one certificate per order, whatever fails: the pickup is interrupted at each point of
 * issuance (storing the certificate, moving the order to issued, queueing the notification — a
 * trigger aborts the statement, standing in for the process dying there), the service is restarted,
 * and the holder retries with a NEW key (the app makes a new key when it cannot know what happened).
 * Afterwards the order has one certificate, for the retry's key; no other certificate exists for it;
 * the audit log records one issuance per stored certificate and nothing for what was rolled back.
 * A back-office rejection in the window between signing and the order update leaves no certificate.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../../../src-service/db/audit-log.js';
import { unloadAllModules } from '../../../src-service/hsm/pkcs11-module.js';
import { markPaid, moveOrder } from '../../../src-service/renewal/admin-actions.js';
import { signCms } from '../../../src-shared/pki/cms-sign.js';
import { injectFault, type IssuancePoint } from '../../helpers/renewal/fault-triggers.js';
import { makeHolders, type SimHolder } from '../../helpers/renewal/load-run.js';
import { challenge, orderDocument, pickupDocument, postCms } from '../../helpers/renewal/protocol-client.js';
import { restartableService, type RestartableService } from '../../helpers/renewal/restartable-service.js';
import { makeCsr } from '../../helpers/service/csr.js';
import { useSoftHsmEnv } from '../../helpers/service/softhsm-env.js';

const hsm = useSoftHsmEnv('obnova-one-cert-');
afterAll(() => {
  unloadAllModules();
  hsm.cleanup();
});

const points: IssuancePoint[] = ['store-certificate', 'order-issued', 'notification'];

describe.each(['sqlite', 'postgres'] as const)('one certificate per order on %s', (dbKind) => {
  let s: RestartableService;
  let prefix = 40;

  beforeAll(async () => {
    s = await restartableService(dbKind);
  }, 60_000);
  afterAll(async () => s?.close());

  /** A holder with a paid order, ready for pickup. */
  async function paidOrder(): Promise<{ holder: SimHolder; orderId: string }> {
    const [holder] = await makeHolders(s.ctx, 1, `${dbKind === 'sqlite' ? 5 : 6}${prefix++}`);
    const placed = await postCms(s.app, '/v1/orders', await signCms(orderDocument(await challenge(s.app), holder!.certificate.serialNumber), holder!.signer));
    expect(placed.statusCode, placed.body).toBe(201);
    const orderId = (placed.json() as { orderId: string }).orderId;
    await markPaid(s.ctx, orderId, 'test');
    return { holder: holder!, orderId };
  }

  async function pickUp(holder: SimHolder, orderId: string) {
    const key = await makeCsr('EC-P256');
    const r = await postCms(s.app, `/v1/orders/${orderId}/certificate`, await signCms(pickupDocument(orderId, key.der), holder.signer));
    return { r, key };
  }

  /** What a dead process leaves for its successor: a claim that has gone stale. */
  async function ageClaim(orderId: string): Promise<void> {
    await s.ctx.db.updateTable('renewal_orders').set({ pickup_claimed_at: new Date(Date.now() - 120_000).toISOString() }).where('id', '=', orderId).where('pickup_spki_sha256', 'is not', null).execute();
  }

  /** The register, the order and the audit log agree: `expected` certificates exist for the holder's renewal. */
  async function expectConsistent(holder: SimHolder, orderId: string, expected: 0 | 1): Promise<void> {
    const renewals = await s.ctx.db.selectFrom('certificates').selectAll().where('holder_id', '=', holder.holderId).where('kind', '=', 'renewal').execute();
    expect(renewals).toHaveLength(expected);
    const order = await s.ctx.db.selectFrom('renewal_orders').selectAll().where('id', '=', orderId).executeTakeFirstOrThrow();
    if (expected === 1) {
      expect(order.status).toBe('issued');
      expect(renewals[0]!.serial).toBe(order.new_certificate_serial);
      expect(renewals[0]!.order_id).toBe(orderId);
    } else {
      expect(order.new_certificate_serial).toBeNull();
    }
    const audit = await listAudit(s.ctx.ca.db);
    const issuedSerials = audit.filter((a) => a.action === 'certificate.issue').map((a) => a.subject);
    const stored = (await s.ctx.db.selectFrom('certificates').select('serial').execute()).map((c) => c.serial);
    expect(new Set(issuedSerials)).toEqual(new Set(stored));
    expect(issuedSerials).toHaveLength(stored.length);
    const statuses = audit.filter((a) => a.action === 'order.status' && a.subject === orderId).map((a) => a.details.status);
    expect(statuses.filter((x) => x === 'issued')).toHaveLength(expected);
    const notices = await s.ctx.db.selectFrom('renewal_notifications').select('kind').where('order_id', '=', orderId).where('kind', '=', 'certificate-issued').execute();
    expect(notices).toHaveLength(expected);
  }

  it.each(points)('interrupted at %s, restarted, retried with a new key: one certificate, for the retry', async (point) => {
    const { holder, orderId } = await paidOrder();
    const removeFault = await injectFault(s.ctx.db, s.service.database.dialect, point);
    const first = await pickUp(holder, orderId);
    await removeFault();
    expect(first.r.statusCode).toBeGreaterThanOrEqual(500);
    await expectConsistent(holder, orderId, 0);

    await s.restart();
    await ageClaim(orderId);
    const retry = await pickUp(holder, orderId);
    expect(retry.r.statusCode, retry.r.body).toBe(200);
    await expectConsistent(holder, orderId, 1);
    // The first key was never certified; asking again with it is refused, the retry's key gets the same certificate.
    const again = await postCms(s.app, `/v1/orders/${orderId}/certificate`, await signCms(pickupDocument(orderId, first.key.der), holder.signer));
    expect(again.json().code).toBe('ORDER_ALREADY_ISSUED');
    const same = await postCms(s.app, `/v1/orders/${orderId}/certificate`, await signCms(pickupDocument(orderId, retry.key.der), holder.signer));
    expect(same.json().serial).toBe(retry.r.json().serial);
    await expectConsistent(holder, orderId, 1);
  }, 60_000);

  it('answers a pickup whose reply was lost: the same key gets the same certificate, another key none', async () => {
    const { holder, orderId } = await paidOrder();
    const first = await pickUp(holder, orderId);
    expect(first.r.statusCode).toBe(200);
    await s.restart();
    const other = await pickUp(holder, orderId);
    expect(other.r.statusCode).toBe(409);
    expect(other.r.json().code).toBe('ORDER_ALREADY_ISSUED');
    await expectConsistent(holder, orderId, 1);
  }, 60_000);

  it('leaves no certificate when the order is rejected between signing and the order update', async () => {
    const { holder, orderId } = await paidOrder();
    let removeFault: () => Promise<void>;
    let pickup: ReturnType<typeof pickUp>;
    if (dbKind === 'postgres') {
      // Hold the pickup inside its storing statement while the back office rejects from another connection.
      removeFault = await injectFault(s.ctx.db, 'postgres', 'store-certificate', { sleepSeconds: 1.5 });
      pickup = pickUp(holder, orderId);
      await new Promise((r) => setTimeout(r, 700));
      await moveOrder(s.ctx, orderId, 'rejected', 'admin:test');
    } else {
      // SQLite has one writer: the rejection lands, as far as the pickup can tell, right after the signature.
      const { sql } = await import('kysely');
      await sql
        .raw(`CREATE TRIGGER fault_reject BEFORE INSERT ON certificates WHEN NEW.kind = 'renewal' BEGIN UPDATE renewal_orders SET status = 'rejected', open_key = NULL WHERE id = '${orderId}'; END`)
        .execute(s.ctx.db);
      removeFault = async () => void (await sql.raw('DROP TRIGGER IF EXISTS fault_reject').execute(s.ctx.db));
      pickup = pickUp(holder, orderId);
    }
    const { r } = await pickup;
    await removeFault();
    expect(r.statusCode).toBe(409);
    expect(r.json().code).toBe('ORDER_TRANSITION_INVALID');
    const renewals = await s.ctx.db.selectFrom('certificates').select('serial').where('holder_id', '=', holder.holderId).where('kind', '=', 'renewal').execute();
    expect(renewals).toHaveLength(0);
    if (dbKind === 'sqlite') await moveOrder(s.ctx, orderId, 'rejected', 'admin:test');
    expect((await s.ctx.db.selectFrom('renewal_orders').select('status').where('id', '=', orderId).executeTakeFirstOrThrow()).status).toBe('rejected');
    const retry = await pickUp(holder, orderId);
    expect(retry.r.json().code).toBe('ORDER_TRANSITION_INVALID');
    await expectConsistent(holder, orderId, 0);
  }, 60_000);
});
