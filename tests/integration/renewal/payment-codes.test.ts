/**
 * Real orders placed through the service with hostile billing data (long UTF-8 names that need
 * cutting, tabs, separators, typographic characters, a Cyrillic buyer on a Slovenian invoice),
 * their invoice PDF rendered with pdftoppm and the code read back (zbarimg --raw -Sbinary, jsQR,
 * zxing-cpp), every field checked by rules written from the ZBS guide and the NBS rules
 * (tests/helpers/payment-codes), the printed block against the code; and camt.053 matching an
 * order stored before the SI12 fix (old reference) next to a new one.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCertificate } from '../../../src-service/ca/issuance.js';
import { createHolder, registerCard } from '../../../src-service/db/holders-repository.js';
import { unloadAllModules } from '../../../src-service/hsm/pkcs11-module.js';
import { mod97Check } from '../../../src-service/renewal/invoice/payment-reference.js';
import { importPayments } from '../../../src-service/renewal/payments/import-payments.js';
import { orderCreatedSchema, type Billing, type OrderCreated } from '../../../src-shared/contract/protocol/order.js';
import { Certificate } from '../../../src-shared/pki/certificate.js';
import { signCms } from '../../../src-shared/pki/cms-sign.js';
import { softwareSigner } from '../../../src-shared/pki/signer.js';
import { ipsViolations } from '../../helpers/payment-codes/ips-rules.js';
import { readInvoiceSymbol } from '../../helpers/payment-codes/symbol-reader.js';
import { upnViolations } from '../../helpers/payment-codes/upn-rules.js';
import { camt053 } from '../../helpers/renewal/camt053.js';
import { challenge, orderDocument, postCms } from '../../helpers/renewal/protocol-client.js';
import { renewalFixture, type RenewalFixture } from '../../helpers/renewal/renewal-fixture.js';
import { makeCsr } from '../../helpers/service/csr.js';
import { useSoftHsmEnv } from '../../helpers/service/softhsm-env.js';

const hsm = useSoftHsmEnv('obnova-payment-codes-');
afterAll(() => {
  unloadAllModules();
  hsm.cleanup();
});

const hostile: Record<'si' | 'rs', Billing[]> = {
  si: [
    // 70 characters of UTF-8 with a blank at position 33: the cut must not leave it.
    { name: 'Ana-Marija Čebašek Žužek Kovačič Ščukovič Šalamun Ćirić Đukić Jež Ž', street: 'Trubarjeva\tcesta 5 | “Dvorišče” – vhod B', postalCode: '1000', city: 'Ljubljana (€ cona)', country: 'SI', vatId: null },
    { name: 'Љубица Ђорђевић-Његош', street: 'Улица Краља Петра 12', postalCode: '11000', city: 'Београд', country: 'RS', vatId: null },
  ],
  rs: [
    { name: `Ђорђе|Петровић\\ 😀 Шћепановић-${'Дугачко '.repeat(6)}`.slice(0, 70), street: 'Кнез Михаилова 7 – улаз “Б”', postalCode: '11000', city: 'Београд', country: 'RS', vatId: null },
  ],
};

function ddmmyyyy(iso: string): string {
  const d = new Date(iso);
  return `${String(d.getUTCDate()).padStart(2, '0')}.${String(d.getUTCMonth() + 1).padStart(2, '0')}.${d.getUTCFullYear()}`;
}

describe.each(['si', 'rs'] as const)('payment code on a real %s invoice', (market) => {
  let f: RenewalFixture;
  const work = mkdtempSync(join(tmpdir(), `obnova-codes-${market}-`));
  const orders: OrderCreated[] = [];

  beforeAll(async () => {
    f = await renewalFixture({ db: 'sqlite', market });
    for (const [i, billing] of hostile[market].entries()) {
      const holder = await createHolder(f.service.db, { kind: 'natural', country: market.toUpperCase() as 'SI', givenName: 'Ana', surname: `Novak${i}`, personalNumber: market === 'rs' ? '0101990710006' : `050598050012${i}` }, 'test');
      const card = await registerCard(f.service.db, holder.id, `PC${market}${i}${Date.now().toString(36)}`.toUpperCase(), 'codes-card', 'test');
      const csr = await makeCsr('EC-P256');
      const { certificate } = await issueCertificate(f.service.authority, f.service.db, { csr: csr.pem, holderId: holder.id, cardId: card.id, actor: 'test' });
      const cert = await Certificate.fromDer(new Uint8Array(certificate.rawData));
      const signer = softwareSigner(csr.keys.privateKey, { certificate: cert });
      const r = await postCms(f.app, '/v1/orders', await signCms(orderDocument(await challenge(f.app), cert.serialNumber, market, { billing, locale: 'en' }), signer));
      expect(r.statusCode, r.body).toBe(201);
      orders.push(orderCreatedSchema.parse(r.json()));
    }
  }, 90_000);
  afterAll(async () => {
    await f?.close();
    rmSync(work, { recursive: true, force: true });
  });

  async function invoicePdf(order: OrderCreated, name: string): Promise<string> {
    const r = await f.app.inject({ method: 'GET', url: order.invoice.pdf, headers: { authorization: `Bearer ${order.accessToken}` } });
    expect(r.statusCode).toBe(200);
    const path = join(work, `${name}.pdf`);
    writeFileSync(path, r.rawPayload);
    return path;
  }

  it('every field of the decoded code passes the rules written from the specification, and the page prints what the code holds', async () => {
    for (const [i, order] of orders.entries()) {
      const pdf = await invoicePdf(order, `order${i}`);
      const reading = await readInvoiceSymbol(pdf, join(work, `order${i}`), market);
      const text = reading.zbarText;
      expect(text).toBe(order.invoice.qrPayload);
      const page = spawnSync('pdftotext', ['-raw', pdf, '-'], { encoding: 'utf8' }).stdout;
      if (market === 'si') {
        expect(upnViolations(text)).toEqual([]);
        expect(reading.segments).toEqual(['eci:4', 'byte']);
        expect([reading.version, reading.level]).toEqual([15, 'M']);
        const fields = text.split('\n');
        expect(fields[8]).toBe(String(order.invoice.amount.gross).padStart(11, '0'));
        expect(fields[13]).toBe(ddmmyyyy(order.invoice.dueAt));
        expect(fields[14]).toBe(f.ctx.policy.payee.account);
        expect(fields[15]).toBe(order.invoice.reference);
        for (const k of [5, 6, 7, 12, 16, 17, 18]) expect(page, fields[k]).toContain(fields[k]);
      } else {
        expect(ipsViolations(text)).toEqual([]);
        expect(reading.segments).toEqual(['byte']);
        expect(reading.level).toBe('M');
        const tags = Object.fromEntries(text.split('|').map((p) => [p.slice(0, p.indexOf(':')), p.slice(p.indexOf(':') + 1)]));
        expect(tags.R).toBe(f.ctx.policy.payee.account);
        expect(tags.I).toBe(`RSD${order.invoice.amount.gross / 100},00`);
        expect(tags.RO).toBe(order.invoice.reference);
        for (const line of [...tags.N!.split('\n'), ...tags.P!.split('\n'), tags.S!]) expect(page, line).toContain(line);
      }
    }
  }, 120_000);

  it.runIf(market === 'si')('cuts the long name at 33 without the blank, and writes the Cyrillic buyer in Latin letters by the official table', () => {
    const [long, cyrillic] = orders.map((o) => o.invoice.qrPayload.split('\n'));
    expect(long![5]).toBe('Ana-Marija Čebašek Žužek Kovačič');
    expect(long![6]).toBe('Trubarjeva cesta 5 | "Dvorišče" -');
    expect(long![7]).toBe('1000 Ljubljana (EUR cona)');
    expect(cyrillic!.slice(5, 8)).toEqual(['Ljubica Đorđević-Njegoš', 'Ulica Kralja Petra 12', '11000 Beograd']);
  });

  it.runIf(market === 'rs')('keeps the Cyrillic payer, drops | \\ and emoji, and stays within 70 characters per tag', () => {
    const p = /\|P:([^|]*)\|/.exec(orders[0]!.invoice.qrPayload)![1]!;
    expect(p.startsWith('Ђорђе Петровић Шћепановић-Дугачко')).toBe(true);
    expect([...p].length).toBeLessThanOrEqual(70);
  });

  it.runIf(market === 'si')('camt.053 matches an order stored before the SI12 fix by its old reference, and a new order by its mod-11 reference', async () => {
    const legacy = `SI12${'2611250042'}${mod97Check('2611250042')}`;
    await f.ctx.db.updateTable('renewal_orders').set({ reference: legacy }).where('id', '=', orders[1]!.orderId).execute();
    // The old order's invoice still prints, with the reference the payer holds.
    const pdf = await invoicePdf(orders[1]!, 'legacy');
    const text = (await readInvoiceSymbol(pdf, join(work, 'legacy'), 'si')).zbarText;
    expect(text.split('\n')[15]).toBe(legacy);
    expect(upnViolations(text, { legacyReference: true })).toEqual([]);
    const xml = camt053('CODES-1', f.ctx.policy.payee.account, [
      { amount: orders[0]!.invoice.amount.gross, currency: 'EUR', reference: `${orders[0]!.invoice.reference.slice(0, 4)} ${orders[0]!.invoice.reference.slice(4)}` },
      { amount: orders[1]!.invoice.amount.gross, currency: 'EUR', reference: `SI12 2611-2500-42${legacy.slice(14)}` },
    ]);
    const lines = await importPayments(f.ctx, xml, 'test');
    expect(lines.map((l) => [l.outcome, l.orderId])).toEqual([
      ['matched', orders[0]!.orderId],
      ['matched', orders[1]!.orderId],
    ]);
  });
});
