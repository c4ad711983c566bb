/**
 * The whole renewal over HTTP with real SoftHSM cards issued by the CA, on SQLite and PostgreSQL:
 * order signed on the card → invoice (QR decoded by zbarimg) → camt.053 import → pickup with a
 * new on-card key → openssl verify → installed; the second renewal of the card → new-media.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../../../src-service/db/audit-log.js';
import { createHolder } from '../../../src-service/db/holders-repository.js';
import { unloadAllModules } from '../../../src-service/hsm/pkcs11-module.js';
import { pendingNotifications } from '../../../src-service/renewal/notifications.js';
import { importPayments } from '../../../src-service/renewal/payments/import-payments.js';
import { isValidSi12 } from '../../../src-service/renewal/invoice/payment-reference.js';
import { parseUpnQr } from '../../../src-service/renewal/invoice/upn-qr.js';
import type { EligibilityResponse } from '../../../src-shared/contract/protocol/eligibility.js';
import { orderCreatedSchema, orderViewSchema, pickupResponseSchema, type OrderCreated } from '../../../src-shared/contract/protocol/order.js';
import { policySchema } from '../../../src-shared/contract/protocol/policy.js';
import { Certificate } from '../../../src-shared/pki/certificate.js';
import { fromBase64, toBase64 } from '../../../src-shared/pki/encoding.js';
import { toPem } from '../../../src-shared/pki/pem.js';
import { readInvoiceSymbol } from '../../helpers/payment-codes/symbol-reader.js';
import { camt053 } from '../../helpers/renewal/camt053.js';
import { issueTestCard, type TestCard } from '../../helpers/renewal/card.js';
import { challenge, orderDocument, pickupDocument, postCms } from '../../helpers/renewal/protocol-client.js';
import { renewalFixture, type RenewalFixture } from '../../helpers/renewal/renewal-fixture.js';
import { runTool } from '../../helpers/service/openssl.js';
import { useSoftHsmEnv } from '../../helpers/service/softhsm-env.js';

const hsm = useSoftHsmEnv('obnova-renewal-flow-');
afterAll(() => {
  unloadAllModules();
  hsm.cleanup();
});

describe.each(['sqlite', 'postgres'] as const)('renewal over HTTP on %s', (dbKind) => {
  let f: RenewalFixture;
  let card: TestCard;
  let order: OrderCreated;
  let newSerial: string;
  const work = mkdtempSync(join(tmpdir(), 'obnova-renewal-'));

  beforeAll(async () => {
    f = await renewalFixture({ db: dbKind });
    const holder = await createHolder(
      f.service.db,
      { kind: 'natural', country: 'SI', givenName: 'Ana', surname: 'Novak', personalNumber: '0101990500123', email: 'ana.novak@example.si' },
      'test',
    );
    card = await issueTestCard(f.service, holder.id, `card-${dbKind}`);
  }, 60_000);
  afterAll(async () => {
    card?.close();
    await f?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('publishes the market policy', async () => {
    const r = await f.app.inject({ method: 'GET', url: '/v1/policy' });
    expect(r.statusCode).toBe(200);
    const policy = policySchema.parse(r.json());
    expect(policy).toMatchObject({ market: 'si', currency: 'EUR', vatBasisPoints: 2200, paymentQr: 'upn-qr' });
    expect((await f.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    expect((await f.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
  });

  it('finds the card certificate eligible for renewal on the existing card', async () => {
    const r = await f.app.inject({ method: 'POST', url: '/v1/eligibility', payload: { certificate: toBase64(card.certificate.der) } });
    expect(r.statusCode).toBe(200);
    const verdict = r.json() as EligibilityResponse;
    expect(verdict).toMatchObject({ eligible: true, path: 'existing-media', reasons: [], price: { net: 5000, vat: 1100, gross: 6100 } });
  });

  it('accepts an order signed on the card and returns the pro-forma invoice', async () => {
    const nonce = await challenge(f.app);
    const r = await postCms(f.app, '/v1/orders', await card.sign(orderDocument(nonce, card.certificate.serialNumber)));
    expect(r.statusCode, r.body).toBe(201);
    order = orderCreatedSchema.parse(r.json());
    expect(order).toMatchObject({ status: 'awaiting-payment', path: 'existing-media' });
    expect(order.invoice.amount).toEqual({ net: 5000, vat: 1100, gross: 6100 });
    expect(order.invoice.reference).toMatch(/^SI12\d{11}$/);
    expect(isValidSi12(order.invoice.reference)).toBe(true);
    const upn = parseUpnQr(order.invoice.qrPayload);
    expect(upn.payeeReference).toBe(order.invoice.reference);
    expect(upn.amount).toBe('00000006100');
  });

  it('serves the invoice PDF whose QR zbarimg decodes to the UPN payload', async () => {
    const unauth = await f.app.inject({ method: 'GET', url: `/v1/orders/${order.orderId}/invoice.pdf` });
    expect(unauth.statusCode).toBe(401);
    const r = await f.app.inject({ method: 'GET', url: `/v1/orders/${order.orderId}/invoice.pdf`, headers: { authorization: `Bearer ${order.accessToken}` } });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('application/pdf');
    const pdf = join(work, 'invoice.pdf');
    writeFileSync(pdf, r.rawPayload);
    // zbar applies the symbol's ECI 4 (ISO 8859-2) and hands back UTF-8 text.
    const text = (await readInvoiceSymbol(pdf, join(work, 'page'), 'si')).zbarText;
    expect(text).toBe(order.invoice.qrPayload);
    expect(parseUpnQr(text).payeeIban).toBe(f.ctx.policy.payee.account);
  });

  it('refuses pickup before payment', async () => {
    const csr = await card.newKeyCsr(`early-${dbKind}`);
    const r = await postCms(f.app, `/v1/orders/${order.orderId}/certificate`, await card.sign(pickupDocument(order.orderId, csr)));
    expect(r.statusCode).toBe(409);
    expect(r.json().code).toBe('ORDER_NOT_PAID');
  });

  it('matches a camt.053 credit by reference, reports the rest, and marks the order paid', async () => {
    const xml = camt053(`STMT-${dbKind}`, f.ctx.policy.payee.account, [
      { amount: 6100, currency: 'EUR', reference: order.invoice.reference },
      { amount: 6100, currency: 'EUR', text: `placilo ${order.invoice.number}` },
      { amount: 1000, currency: 'EUR', reference: 'SI12999999999999' },
      { amount: 500, currency: 'EUR', debit: true },
    ]);
    const lines = await importPayments(f.ctx, xml, 'test');
    expect(lines.map((l) => l.outcome)).toEqual(['matched', 'unmatched', 'unmatched']);
    expect(lines[0]!.orderId).toBe(order.orderId);
    const again = await importPayments(f.ctx, xml, 'test');
    expect(again.map((l) => l.outcome)).toEqual(['already-imported', 'already-imported', 'already-imported']);
    const view = orderViewSchema.parse(
      (await f.app.inject({ method: 'GET', url: `/v1/orders/${order.orderId}`, headers: { authorization: `Bearer ${order.accessToken}` } })).json(),
    );
    expect(view.status).toBe('ready-for-pickup');
    expect(view.timeline.map((t) => t.status)).toEqual(['awaiting-payment', 'paid', 'ready-for-pickup']);
  });

  it('refuses a pickup with the old key, a foreign subject, or a weak key, and stores nothing', async () => {
    const sign = async (csr: Uint8Array) => postCms(f.app, `/v1/orders/${order.orderId}/certificate`, await card.sign(pickupDocument(order.orderId, csr)));
    const oldKey = await import('@peculiar/x509').then(async (x509) => {
      const keys = { privateKey: await card.session.privateKey(card.keyLabel), publicKey: await card.session.publicKey(card.keyLabel) };
      const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name: card.certificate.subject, keys, signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' } } as never, card.session.crypto as never);
      return new Uint8Array(csr.rawData);
    });
    expect((await sign(oldKey)).json().code).toBe('RENEWAL_CSR_SAME_KEY');
    const foreign = await card.newKeyCsr(`foreign-${dbKind}`, 'CN=Somebody Else,C=SI');
    expect((await sign(foreign)).json().code).toBe('CA_CSR_SUBJECT_MISMATCH');
    const { makeCsr } = await import('../../helpers/service/csr.js');
    const weak = await makeCsr('RSA-1024');
    expect((await sign(weak.der)).json().code).toBe('CA_CSR_WEAK_KEY');
    const row = await f.ctx.db.selectFrom('renewal_orders').selectAll().where('id', '=', order.orderId).executeTakeFirstOrThrow();
    expect(row.status).toBe('ready-for-pickup');
    expect(row.pickup_spki_sha256).toBeNull();
    const renewals = await f.ctx.db.selectFrom('certificates').select('serial').where('kind', '=', 'renewal').execute();
    expect(renewals).toHaveLength(0);
  });

  it('issues the certificate for a new on-card key, once, and openssl verifies it', async () => {
    const csr = await card.newKeyCsr(`renewed-${dbKind}`);
    const cms = await card.sign(pickupDocument(order.orderId, csr));
    const r = await postCms(f.app, `/v1/orders/${order.orderId}/certificate`, cms);
    expect(r.statusCode, r.body).toBe(200);
    const got = pickupResponseSchema.parse(r.json());
    newSerial = got.serial;
    const again = pickupResponseSchema.parse((await postCms(f.app, `/v1/orders/${order.orderId}/certificate`, await card.sign(pickupDocument(order.orderId, csr)))).json());
    expect(again.serial).toBe(got.serial);
    expect(again.certificate).toBe(got.certificate);
    const other = await card.newKeyCsr(`second-${dbKind}`);
    const refused = await postCms(f.app, `/v1/orders/${order.orderId}/certificate`, await card.sign(pickupDocument(order.orderId, other)));
    expect(refused.json().code).toBe('ORDER_ALREADY_ISSUED');

    const file = join(work, 'renewed.pem');
    writeFileSync(file, toPem(fromBase64(got.certificate), 'CERTIFICATE'));
    writeFileSync(join(work, 'chain.pem'), got.chain.map((c) => toPem(fromBase64(c), 'CERTIFICATE')).join(''));
    const verify = runTool('openssl', ['verify', '-CAfile', f.ca.config.certificates.root, '-untrusted', f.ca.config.certificates.issuing, file]);
    expect(verify.stdout, verify.stderr).toContain(': OK');
    const renewed = await Certificate.fromDer(fromBase64(got.certificate));
    expect(renewed.subject).toBe(card.certificate.subject);
    const renewals = await f.ctx.db.selectFrom('certificates').select(['serial', 'card_id']).where('kind', '=', 'renewal').execute();
    expect(renewals).toEqual([{ serial: got.serial, card_id: card.issued.cardId }]);
    card.certificate = renewed;
    card.keyLabel = `renewed-${dbKind}`;
  });

  it('completes the order when the app reports the certificate installed, and audits every transition', async () => {
    const auth = { authorization: `Bearer ${order.accessToken}` };
    const r = await f.app.inject({ method: 'POST', url: `/v1/orders/${order.orderId}/installed`, headers: auth, payload: { serial: newSerial } });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().status).toBe('completed');
    const audit = await listAudit(f.service.db, order.orderId);
    expect(audit.filter((a) => a.action === 'order.status').map((a) => a.details.status)).toEqual(['awaiting-payment', 'paid', 'ready-for-pickup', 'issued', 'completed']);
    const mails = await pendingNotifications(f.ctx.db);
    expect(mails.filter((m) => m.order_id === order.orderId).map((m) => m.kind)).toEqual(['order-placed', 'payment-received', 'certificate-issued']);
    expect(mails[0]!.body).toContain(order.invoice.reference);
  });

  it('does not renew the old certificate a second time', async () => {
    const r = await f.app.inject({ method: 'POST', url: '/v1/eligibility', payload: { certificate: toBase64(new Uint8Array(card.issued.certificate.rawData)) } });
    expect(r.json()).toMatchObject({ eligible: false, reasons: [{ code: 'RENEWAL_ORDER_EXISTS' }] });
  });

  it('sends the second renewal of the same card down the new-media path', async () => {
    const r = await f.app.inject({ method: 'POST', url: '/v1/eligibility', payload: { certificate: toBase64(card.certificate.der) } });
    expect(r.json()).toMatchObject({ eligible: true, path: 'new-media', price: { gross: 9150 } });
    const nonce = await challenge(f.app);
    const placed = await postCms(f.app, '/v1/orders', await card.sign(orderDocument(nonce, card.certificate.serialNumber)));
    expect(placed.statusCode, placed.body).toBe(201);
    const second = orderCreatedSchema.parse(placed.json());
    expect(second.path).toBe('new-media');
    // A repeated valid order (new nonce) returns the open order instead of a second one.
    const repeat = await postCms(f.app, '/v1/orders', await card.sign(orderDocument(await challenge(f.app), card.certificate.serialNumber)));
    expect(repeat.statusCode).toBe(200);
    expect(repeat.json().orderId).toBe(second.orderId);
  });
});
