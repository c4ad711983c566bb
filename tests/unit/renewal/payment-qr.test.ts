/** Payment references, UPN QR and NBS IPS QR payloads, decoded back by zbarimg from the PNG and from the invoice PDF. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { renderInvoicePdf } from '../../../src-service/renewal/invoice/invoice-pdf.js';
import { parseIpsQr } from '../../../src-service/renewal/invoice/ips-qr.js';
import { isValidModel97, model97Reference, si12Reference } from '../../../src-service/renewal/invoice/payment-reference.js';
import { paymentQrPng } from '../../../src-service/renewal/invoice/payment-qr.js';
import { paymentPayload, type ProForma } from '../../../src-service/renewal/invoice/pro-forma.js';
import { parseUpnQr, upnQrFields } from '../../../src-service/renewal/invoice/upn-qr.js';
import { loadPolicy } from '../../../src-service/renewal/policy/load-policy.js';
import { zbarDecodeFile, zbarDecodePng } from '../../helpers/renewal/zbar.js';

const issuedAt = new Date('2026-11-25T10:00:00Z');
const dueAt = new Date('2026-12-10T10:00:00Z');

function invoice(market: 'si' | 'rs', name: string): Omit<ProForma, 'qrPayload'> {
  const policy = loadPolicy(market);
  return {
    number: '2026-000042',
    reference: market === 'si' ? si12Reference('2611250042') : model97Reference('2611250042'),
    currency: policy.currency,
    vatBasisPoints: policy.vatBasisPoints,
    amount: policy.prices['existing-media'],
    issuedAt,
    dueAt,
    path: 'existing-media',
    billing: { name, street: market === 'si' ? 'Trubarjeva 5' : 'Knez Mihailova 7', postalCode: market === 'si' ? '1000' : '11000', city: market === 'si' ? 'Ljubljana' : 'Beograd', country: market.toUpperCase(), vatId: null },
  };
}

describe('UPN QR (si)', () => {
  it('lays out 19 fields and a control sum, and zbarimg decodes the same bytes from the PNG', async () => {
    const policy = loadPolicy('si');
    const data = invoice('si', 'Ana Čebašek Žužek');
    const payload = paymentPayload(policy, data);
    const fields = parseUpnQr(payload);
    expect(fields.header).toBe('UPNQR');
    expect(fields.amount).toBe('00000006100');
    expect(fields.purposeCode).toBe('GDSV');
    expect(fields.due).toBe('10.12.2026');
    expect(fields.payeeIban).toBe(policy.payee.account);
    expect(fields.payeeReference).toBe(data.reference);
    expect(fields.payerName).toBe('Ana Čebašek Žužek');
    expect(Number(fields.controlSum)).toBe(payload.length - 4);

    const decoded = zbarDecodePng(await paymentQrPng(policy, payload));
    const text = new TextDecoder('iso-8859-2').decode(decoded);
    expect(text).toBe(payload);
    const back = parseUpnQr(text);
    for (const f of upnQrFields) expect(back[f], f).toBe(fields[f]);
  });
});

describe('NBS IPS QR (rs)', () => {
  it('uses the K:PR tag layout in order, and zbarimg decodes it as UTF-8', async () => {
    const policy = loadPolicy('rs');
    const data = invoice('rs', 'Đorđe Šćepanović');
    const payload = paymentPayload(policy, data);
    expect(payload).toMatch(/^K:PR\|V:01\|C:1\|R:265000000001234526\|N:Obnova CA d\.o\.o\.\n11000 Beograd\|I:RSD4800,00\|P:Đorđe Šćepanović\n.*\|SF:221\|S:.*\|RO:97\d{12}$/s);
    const decoded = zbarDecodePng(await paymentQrPng(policy, payload)).toString('utf8');
    expect(decoded).toBe(payload);
    const tags = parseIpsQr(decoded);
    expect(Object.keys(tags)).toEqual(['K', 'V', 'C', 'R', 'N', 'I', 'P', 'SF', 'S', 'RO']);
    expect(tags.RO).toBe(data.reference);
    expect(isValidModel97(tags.RO!.slice(2))).toBe(true);
  });
});

describe('invoice PDF', () => {
  it.each(['si', 'rs'] as const)('renders one page with the amounts and the QR that zbarimg reads (%s)', async (market) => {
    const policy = loadPolicy(market);
    const data = invoice(market, 'Marko Kranjc');
    const pro: ProForma = { ...data, qrPayload: paymentPayload(policy, data) };
    const pdf = await renderInvoicePdf(policy, pro);
    const doc = await PDFDocument.load(pdf);
    expect(doc.getPageCount()).toBe(1);
    expect(doc.getTitle()).toContain('2026-000042');
    const dir = mkdtempSync(join(tmpdir(), 'obnova-invoice-'));
    try {
      writeFileSync(join(dir, 'invoice.pdf'), pdf);
      const r = spawnSync('pdftoppm', ['-r', '150', '-png', join(dir, 'invoice.pdf'), join(dir, 'page')]);
      expect(r.status).toBe(0);
      const page = readdirSync(dir).find((n) => n.endsWith('.png'))!;
      const bytes = zbarDecodeFile(join(dir, page));
      const text = market === 'si' ? new TextDecoder('iso-8859-2').decode(bytes) : bytes.toString('utf8');
      expect(text).toBe(pro.qrPayload);
      const pdfText = spawnSync('pdftotext', [join(dir, 'invoice.pdf'), '-']).stdout.toString();
      expect(pdfText).toContain(market === 'si' ? '61,00 EUR' : '4.800,00 RSD');
      expect(pdfText).toContain(market === 'si' ? 'DDV 22 %' : 'PDV 20 %');
      expect(pdfText).toContain(data.reference);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each(['si', 'rs'] as const)('prints the payer "Bojan Kovač" as written, with the subset DejaVu Sans embedded (%s)', async (market) => {
    const policy = loadPolicy(market);
    const data = invoice(market, 'Bojan Kovač');
    const pro: ProForma = { ...data, billing: { ...data.billing, street: 'Čopova ulica 3' }, qrPayload: paymentPayload(policy, data) };
    const pdf = await renderInvoicePdf(policy, pro);
    const dir = mkdtempSync(join(tmpdir(), 'obnova-invoice-'));
    try {
      writeFileSync(join(dir, 'invoice.pdf'), pdf);
      const text = spawnSync('pdftotext', ['-layout', join(dir, 'invoice.pdf'), '-'], { encoding: 'utf8' }).stdout;
      expect(text).toContain('Bojan Kovač');
      expect(text).toContain('PREDRAČUN');
      expect(text).toContain('Čopova ulica 3');
      const fonts = spawnSync('pdffonts', [join(dir, 'invoice.pdf')], { encoding: 'utf8' }).stdout;
      expect(fonts).toMatch(/[A-Z]{6}\+DejaVuSans\s+CID TrueType\s+Identity-H\s+yes yes yes/);
      expect(fonts).toMatch(/[A-Z]{6}\+DejaVuSans-Bold\s+CID TrueType\s+Identity-H\s+yes yes yes/);
      console.log(`invoice (${market}, Bojan Kovač): ${pdf.length} bytes`);
      expect(pdf.length).toBeLessThan(150_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
