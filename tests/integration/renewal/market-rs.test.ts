/**
 * The Serbian market over HTTP: RSD prices with 20 % VAT, an NBS IPS QR invoice decoded by
 * zbarimg from the PDF page, model-97 reference; a legal entity's certificate takes the
 * original-issuance path with the policy's steps (also after expiry); a certificate without the
 * holder's JMBG cannot be renewed online.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addYears, signCertificate } from '../../../src-service/ca/certificate-signer.js';
import { endEntityExtensions } from '../../../src-service/ca/extensions.js';
import { issueCertificate } from '../../../src-service/ca/issuance.js';
import { keyIdentifier, spkiFingerprint } from '../../../src-service/ca/key-identifiers.js';
import { randomSerial } from '../../../src-service/ca/serial.js';
import { oid, subjectAttributes, toName } from '../../../src-service/ca/subject.js';
import { insertCertificate } from '../../../src-service/db/certificates-repository.js';
import { createHolder, registerCard } from '../../../src-service/db/holders-repository.js';
import { unloadAllModules } from '../../../src-service/hsm/pkcs11-module.js';
import { expireOverdue } from '../../../src-service/renewal/admin-actions.js';
import { parseIpsQr } from '../../../src-service/renewal/invoice/ips-qr.js';
import { isValidModel97 } from '../../../src-service/renewal/invoice/payment-reference.js';
import { orderCreatedSchema } from '../../../src-shared/contract/protocol/order.js';
import { policySchema } from '../../../src-shared/contract/protocol/policy.js';
import { Certificate } from '../../../src-shared/pki/certificate.js';
import { signCms } from '../../../src-shared/pki/cms-sign.js';
import { toBase64 } from '../../../src-shared/pki/encoding.js';
import { softwareSigner } from '../../../src-shared/pki/signer.js';
import { readInvoiceSymbol } from '../../helpers/payment-codes/symbol-reader.js';
import { challenge, orderDocument, postCms } from '../../helpers/renewal/protocol-client.js';
import { renewalFixture, type RenewalFixture } from '../../helpers/renewal/renewal-fixture.js';
import { makeCsr } from '../../helpers/service/csr.js';
import { useSoftHsmEnv } from '../../helpers/service/softhsm-env.js';

const hsm = useSoftHsmEnv('obnova-renewal-rs-');
const sixYears = 6 * 365 * 86_400_000;

describe('market rs', () => {
  let f: RenewalFixture;
  const work = mkdtempSync(join(tmpdir(), 'obnova-rs-'));
  beforeAll(async () => {
    f = await renewalFixture({ db: 'sqlite', market: 'rs' });
  }, 60_000);
  afterAll(async () => {
    await f?.close();
    unloadAllModules();
    hsm.cleanup();
    rmSync(work, { recursive: true, force: true });
  });

  async function certificateFor(holderId: string, at = new Date()) {
    const card = await registerCard(f.service.db, holderId, `RS${Math.random().toString(36).slice(2, 10).toUpperCase()}`, 'rs-card', 'test');
    const csr = await makeCsr('EC-P256');
    const { certificate } = await issueCertificate(f.service.authority, f.service.db, { csr: csr.pem, holderId, cardId: card.id, actor: 'test' }, at);
    const cert = await Certificate.fromDer(new Uint8Array(certificate.rawData));
    return { cert, signer: softwareSigner(csr.keys.privateKey, { certificate: cert }) };
  }

  it('orders in RSD with 20 % VAT and an NBS IPS QR that zbarimg reads from the invoice PDF', async () => {
    expect(policySchema.parse((await f.app.inject({ method: 'GET', url: '/v1/policy' })).json())).toMatchObject({ currency: 'RSD', vatBasisPoints: 2000, paymentQr: 'nbs-ips-qr' });
    const holder = await createHolder(f.service.db, { kind: 'natural', country: 'RS', givenName: 'Milica', surname: 'Jovanović', personalNumber: '0101990710006' }, 'test');
    const { cert, signer } = await certificateFor(holder.id);
    const placed = await postCms(f.app, '/v1/orders', await signCms(orderDocument(await challenge(f.app), cert.serialNumber, 'rs', { billing: { name: 'Milica Jovanović', street: 'Knez Mihailova 7', postalCode: '11000', city: 'Beograd', country: 'RS', vatId: null }, locale: 'sr-Latn' }), signer));
    expect(placed.statusCode, placed.body).toBe(201);
    const order = orderCreatedSchema.parse(placed.json());
    expect(order.invoice.amount).toEqual({ net: 400000, vat: 80000, gross: 480000 });
    const pdf = await f.app.inject({ method: 'GET', url: `/v1/orders/${order.orderId}/invoice.pdf`, headers: { authorization: `Bearer ${order.accessToken}` } });
    writeFileSync(join(work, 'invoice.pdf'), pdf.rawPayload);
    const tags = parseIpsQr((await readInvoiceSymbol(join(work, 'invoice.pdf'), join(work, 'page'), 'rs')).zbarText);
    expect(tags).toMatchObject({ K: 'PR', V: '01', C: '1', R: '265000000001234526', I: 'RSD4800,00', SF: '221', RO: order.invoice.reference });
    expect(tags.P).toContain('Milica Jovanović');
    expect(isValidModel97(tags.RO!.slice(2))).toBe(true);

    // Unpaid past the due date: expired, and the certificate may be ordered again.
    await f.ctx.db.updateTable('renewal_orders').set({ due_at: new Date(Date.now() - 1000).toISOString() }).where('id', '=', order.orderId).execute();
    expect(await expireOverdue(f.ctx, 'test')).toEqual([order.orderId]);
    const row = await f.ctx.db.selectFrom('renewal_orders').select(['status', 'open_key']).where('id', '=', order.orderId).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'expired', open_key: null });
    const again = await postCms(f.app, '/v1/orders', await signCms(orderDocument(await challenge(f.app), cert.serialNumber, 'rs'), signer));
    expect(again.statusCode).toBe(201);
  });

  it('sends a legal entity down the original-issuance path with its steps, also after expiry', async () => {
    const holder = await createHolder(
      f.service.db,
      { kind: 'legal', country: 'RS', legalName: 'Primer d.o.o.', organizationId: '100000001', givenName: 'Petar', surname: 'Petrović', personalNumber: '0202980710011' },
      'test',
    );
    for (const at of [new Date(), new Date(Date.now() - sixYears)]) {
      const { cert, signer } = await certificateFor(holder.id, at);
      const verdict = (await f.app.inject({ method: 'POST', url: '/v1/eligibility', payload: { certificate: toBase64(cert.der) } })).json();
      expect(verdict).toMatchObject({ eligible: false, path: 'original-issuance', steps: f.ctx.policy.legalEntity.steps });
      expect(verdict.reasons.map((r: { code: string }) => r.code)).toEqual(['RENEWAL_LEGAL_ENTITY_PROCEDURE']);
      const refused = await postCms(f.app, '/v1/orders', await signCms(orderDocument(await challenge(f.app), cert.serialNumber, 'rs'), signer));
      expect(refused.json().code).toBe('RENEWAL_LEGAL_ENTITY_PROCEDURE');
    }
  });

  it('refuses online renewal of a certificate without the JMBG in its subject', async () => {
    const holder = await createHolder(f.service.db, { kind: 'natural', country: 'RS', givenName: 'Ana', surname: 'Ilić', personalNumber: '0303970715008' }, 'test');
    // An older certificate whose subject had no serialNumber (PNORS-…), signed by this CA and in its register.
    const csr = await makeCsr('EC-P256');
    const spki = new Uint8Array(new x509.Pkcs10CertificateRequest(csr.der).publicKey.rawData);
    const issuing = f.service.authority.issuing;
    const profile = f.service.authority.profiles.get('qualified-natural-person')!;
    const now = new Date(Math.floor(Date.now() / 1000) * 1000);
    const serial = randomSerial();
    const certificate = await signCertificate(
      {
        serial,
        subject: toName(subjectAttributes(holder).filter((a) => a.type !== oid.serialNumber)),
        issuer: issuing.cert.subjectName,
        spki,
        notBefore: now,
        notAfter: addYears(now, 2),
        extensions: endEntityExtensions(profile, { baseUrl: f.ca.config.baseUrl, subjectKeyId: keyIdentifier(spki), issuerKeyId: issuing.keyId, email: null }),
      },
      issuing.signer,
    );
    await insertCertificate(
      f.service.db,
      {
        serial,
        issuer: 'issuing',
        holderId: holder.id,
        cardId: null,
        profileId: profile.id,
        kind: 'original',
        subject: certificate.subject,
        notBefore: now.toISOString(),
        notAfter: addYears(now, 2).toISOString(),
        spkiSha256: spkiFingerprint(spki),
        holderDataVersion: holder.dataVersion,
        der: new Uint8Array(certificate.rawData),
        issuedAt: now.toISOString(),
      },
      'test',
    );
    const verdict = (await f.app.inject({ method: 'POST', url: '/v1/eligibility', payload: { certificate: toBase64(new Uint8Array(certificate.rawData)) } })).json();
    expect(verdict).toMatchObject({ eligible: false, path: 'original-issuance' });
    expect(verdict.reasons).toEqual([expect.objectContaining({ code: 'RENEWAL_PERSONAL_NUMBER_MISSING', instead: 'apply-at-registration-office' })]);
  });
});
