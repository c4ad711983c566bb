/**
 * Every refusal the acceptance lists, each with its stable code and nothing stored: orders signed
 * by revoked / expired / other-CA / self-signed certificates, replayed and expired nonces, a
 * document changed after signing, pickup by another certificate, oversized, malformed and
 * wrongly typed bodies; plus 429 and 503 with Retry-After. SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCertificate } from '../../../src-service/ca/issuance.js';
import { changeHolder, createHolder } from '../../../src-service/db/holders-repository.js';
import { unloadAllModules } from '../../../src-service/hsm/pkcs11-module.js';
import { markPaid } from '../../../src-service/renewal/admin-actions.js';
import { Certificate } from '../../../src-shared/pki/certificate.js';
import { signCms } from '../../../src-shared/pki/cms-sign.js';
import { toBase64 } from '../../../src-shared/pki/encoding.js';
import { softwareSigner } from '../../../src-shared/pki/signer.js';
import { issue } from '../../helpers/pki/pki-factory.js';
import { issueTestCard, type TestCard } from '../../helpers/renewal/card.js';
import { challenge, orderDocument, pickupDocument, postCms } from '../../helpers/renewal/protocol-client.js';
import { renewalFixture, type RenewalFixture } from '../../helpers/renewal/renewal-fixture.js';
import { makeCsr } from '../../helpers/service/csr.js';
import { useSoftHsmEnv } from '../../helpers/service/softhsm-env.js';

const hsm = useSoftHsmEnv('obnova-renewal-refusals-');
afterAll(() => {
  unloadAllModules();
  hsm.cleanup();
});

const sixYears = 6 * 365 * 86_400_000;

describe.each(['sqlite', 'postgres'] as const)('refusals on %s', (dbKind) => {
  let f: RenewalFixture;
  let card: TestCard;
  let other: TestCard;
  let holderId: string;

  /** A software-key certificate from this CA for the holder, issued at `at`, with a signer for it. */
  async function softwareCertificate(at = new Date()) {
    const csr = await makeCsr('EC-P256');
    const { certificate } = await issueCertificate(f.service.authority, f.service.db, { csr: csr.pem, holderId, actor: 'test' }, at);
    const cert = await Certificate.fromDer(new Uint8Array(certificate.rawData));
    return { cert, signer: softwareSigner(csr.keys.privateKey, { certificate: cert }) };
  }

  async function orderCount(): Promise<number> {
    return (await f.ctx.db.selectFrom('renewal_orders').select('id').execute()).length;
  }

  beforeAll(async () => {
    f = await renewalFixture({ db: dbKind });
    const holder = await createHolder(f.service.db, { kind: 'natural', country: 'SI', givenName: 'Eva', surname: 'Zupan', personalNumber: '0303970500789', email: 'eva@example.si' }, 'test');
    holderId = holder.id;
    card = await issueTestCard(f.service, holder.id, `ref-a-${dbKind}`);
    const second = await createHolder(f.service.db, { kind: 'natural', country: 'SI', givenName: 'Jure', surname: 'Kos', personalNumber: '0404960500111' }, 'test');
    other = await issueTestCard(f.service, second.id, `ref-b-${dbKind}`);
  }, 60_000);
  afterAll(async () => {
    card?.close();
    other?.close();
    await f?.close();
  });

  it('refuses orders signed by revoked, expired, other-CA and self-signed certificates', async () => {
    const before = await orderCount();
    const revoked = await softwareCertificate();
    await f.service.revoke(revoked.cert.serialNumber, 'keyCompromise', 'test');
    const expired = await softwareCertificate(new Date(Date.now() - sixYears));
    const otherCa = await issue({ subject: 'CN=Other CA,C=SI', ca: true });
    const fromOther = await issue({ subject: 'CN=Eva Zupan,C=SI', issuer: otherCa, qc: 'natural' });
    const selfSigned = await issue({ subject: 'CN=Eva Zupan,C=SI', qc: 'natural' });
    const cases = [
      { signer: revoked.signer, serial: revoked.cert.serialNumber, code: 'RENEWAL_CERT_REVOKED' },
      { signer: expired.signer, serial: expired.cert.serialNumber, code: 'RENEWAL_CERT_EXPIRED' },
      { signer: softwareSigner(fromOther.keys.privateKey, { certificate: fromOther.certificate }), serial: fromOther.certificate.serialNumber, code: 'RENEWAL_CERT_UNKNOWN_ISSUER' },
      { signer: softwareSigner(selfSigned.keys.privateKey, { certificate: selfSigned.certificate }), serial: selfSigned.certificate.serialNumber, code: 'RENEWAL_CERT_UNKNOWN_ISSUER' },
    ];
    for (const c of cases) {
      const r = await postCms(f.app, '/v1/orders', await signCms(orderDocument(await challenge(f.app), c.serial), c.signer));
      expect(r.statusCode, c.code).toBe(403);
      expect(r.headers['content-type']).toContain('application/problem+json');
      const body = r.json();
      expect(body.code).toBe(c.code);
      expect(body.reasons.map((x: { code: string }) => x.code)).toContain(c.code);
    }
    expect(await orderCount()).toBe(before);
  });

  it('says what to do when the holder data changed since issuance', async () => {
    const cert = await softwareCertificate();
    await changeHolder(f.service.db, holderId, { surname: 'Zupan Novak' }, 'test');
    try {
      const r = await f.app.inject({ method: 'POST', url: '/v1/eligibility', payload: { certificate: toBase64(cert.cert.der) } });
      expect(r.json()).toMatchObject({ eligible: false, path: 'original-issuance', reasons: [{ code: 'RENEWAL_HOLDER_DATA_CHANGED', instead: 'apply-at-registration-office' }] });
    } finally {
      await changeHolder(f.service.db, holderId, { surname: 'Zupan' }, 'test');
    }
  });

  it('refuses a spent nonce under another signature, expired nonces and a document changed after signing; the same signed order again gets its order', async () => {
    const before = await orderCount();
    const nonce = await challenge(f.app);
    const signed = await card.sign(orderDocument(nonce, card.certificate.serialNumber));
    // Changed after signing: one byte of the billing name inside the signed JSON (found by the unique nonce next to it).
    const tampered = Buffer.from(signed);
    const at = tampered.indexOf(nonce);
    expect(at).toBeGreaterThan(0);
    tampered[at] = tampered[at]! ^ 0x01;
    const changed = await postCms(f.app, '/v1/orders', tampered);
    expect(changed.json().code).toBe('CMS_DIGEST_MISMATCH');

    const first = await postCms(f.app, '/v1/orders', signed);
    expect(first.statusCode, first.body).toBe(201);
    // The same signed order again (its answer was lost on the way): the order it made, never a second one.
    const replay = await postCms(f.app, '/v1/orders', signed);
    expect(replay.statusCode, replay.body).toBe(200);
    expect(replay.json().orderId).toBe(first.json().orderId);
    expect(await orderCount()).toBe(before + 1);
    // Its nonce under another holder's signature is still a spent nonce.
    const borrowed = await postCms(f.app, '/v1/orders', await other.sign(orderDocument(nonce, other.certificate.serialNumber)));
    expect(borrowed.statusCode).toBe(409);
    expect(borrowed.json().code).toBe('RENEWAL_CHALLENGE_USED');
    expect(await orderCount()).toBe(before + 1);

    const stale = await challenge(f.app);
    await f.ctx.db.updateTable('renewal_challenges').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where('nonce', '=', stale).execute();
    const expired = await postCms(f.app, '/v1/orders', await other.sign(orderDocument(stale, other.certificate.serialNumber)));
    expect(expired.json().code).toBe('RENEWAL_CHALLENGE_EXPIRED');
    const unknown = await postCms(f.app, '/v1/orders', await other.sign(orderDocument('not-a-nonce-we-issued', other.certificate.serialNumber)));
    expect(unknown.json().code).toBe('RENEWAL_CHALLENGE_UNKNOWN');
    const wrongSerial = await postCms(f.app, '/v1/orders', await other.sign(orderDocument(await challenge(f.app), card.certificate.serialNumber)));
    expect(wrongSerial.json().code).toBe('RENEWAL_SIGNER_MISMATCH');
    expect(await orderCount()).toBe(before + 1);
  });

  it('refuses a pickup signed by a different certificate', async () => {
    const open = await f.ctx.db.selectFrom('renewal_orders').select('id').where('certificate_serial', '=', card.certificate.serialNumber).executeTakeFirstOrThrow();
    await markPaid(f.ctx, open.id, 'test');
    const csr = await other.newKeyCsr(`intruder-${dbKind}`);
    const r = await postCms(f.app, `/v1/orders/${open.id}/certificate`, await other.sign(pickupDocument(open.id, csr)));
    expect(r.statusCode).toBe(403);
    expect(r.json().code).toBe('RENEWAL_SIGNER_MISMATCH');
    const crossed = await postCms(f.app, `/v1/orders/${open.id}/certificate`, await card.sign(pickupDocument('R0000000000', csr)));
    expect(crossed.json().code).toBe('RENEWAL_DOCUMENT_INVALID');
  });

  it('refuses a 10 MB body, malformed JSON and a wrong content type with problem+json', async () => {
    const big = await f.app.inject({ method: 'POST', url: '/v1/orders', payload: Buffer.alloc(10 * 1024 * 1024, 0x30), headers: { 'content-type': 'application/pkcs7-mime' } });
    expect(big.statusCode).toBe(413);
    expect(big.json().code).toBe('RENEWAL_BODY_TOO_LARGE');
    const malformed = await f.app.inject({ method: 'POST', url: '/v1/eligibility', payload: '{"certificate": ', headers: { 'content-type': 'application/json' } });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().code).toBe('INPUT_INVALID');
    expect(malformed.headers['content-type']).toContain('application/problem+json');
    const jsonOrder = await f.app.inject({ method: 'POST', url: '/v1/orders', payload: { order: 'x' } });
    expect(jsonOrder.statusCode).toBe(415);
    expect(jsonOrder.json().code).toBe('RENEWAL_MEDIA_TYPE_UNSUPPORTED');
    const xml = await f.app.inject({ method: 'POST', url: '/v1/orders', payload: '<x/>', headers: { 'content-type': 'application/xml' } });
    expect(xml.statusCode).toBe(415);
    expect(xml.json().code).toBe('RENEWAL_MEDIA_TYPE_UNSUPPORTED');
    const garbage = await postCms(f.app, '/v1/orders', new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]));
    expect(garbage.statusCode).toBe(400);
    expect(garbage.json().code).toMatch(/^CMS_/);
  });
});

describe('rate limits and overload', () => {
  let f: RenewalFixture;
  beforeAll(async () => {
    f = await renewalFixture({ db: 'sqlite', rateLimit: { limit: 5, windowSeconds: 60 }, maxInFlight: 2 });
  }, 60_000);
  afterAll(async () => f?.close());

  it('answers 429 with Retry-After past the per-client limit', async () => {
    const codes: number[] = [];
    let last;
    for (let i = 0; i < 7; i++) {
      last = await f.app.inject({ method: 'GET', url: '/v1/policy', remoteAddress: '192.0.2.7' });
      codes.push(last.statusCode);
    }
    expect(codes).toEqual([200, 200, 200, 200, 200, 429, 429]);
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
    expect(last!.json().code).toBe('RENEWAL_RATE_LIMITED');
    expect((await f.app.inject({ method: 'GET', url: '/v1/policy', remoteAddress: '192.0.2.8' })).statusCode).toBe(200);
  });

  it('sheds load with 503 and Retry-After instead of queueing', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => f.app.inject({ method: 'POST', url: '/v1/challenges', remoteAddress: `198.51.100.${i}` })),
    );
    const codes = results.map((r) => r.statusCode);
    expect(codes).toContain(201);
    const shed = results.filter((r) => r.statusCode === 503);
    for (const r of shed) {
      expect(r.headers['retry-after']).toBe('1');
      expect(r.json().code).toBe('RENEWAL_OVERLOADED');
    }
    expect(codes.every((c) => c === 201 || c === 503)).toBe(true);
  });
});
