/**
 * The payment QR symbol as printed on the invoice PDF, read from the rendered page by readers
 * nobody here wrote: jsQR (version, segments with the ECI designator, raw bytes), zxing-cpp
 * (version, error correction level, the ECI in the bit stream) and zbarimg (text). UPN QR: ECI 000004 then one byte segment, version 15,
 * level M, printed 32,597 mm wide (ZBS guide §3). IPS QR: one UTF-8 byte segment, level M.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderInvoicePdf } from '../../../src-service/renewal/invoice/invoice-pdf.js';
import { model97Reference, si12Reference } from '../../../src-service/renewal/invoice/payment-reference.js';
import { paymentPayload, type ProForma } from '../../../src-service/renewal/invoice/pro-forma.js';
import { loadPolicy } from '../../../src-service/renewal/policy/load-policy.js';
import { toLatin2 } from '../../../src-shared/payment-qr/latin2.js';
import { ipsViolations } from '../../helpers/payment-codes/ips-rules.js';
import { readInvoiceSymbol } from '../../helpers/payment-codes/symbol-reader.js';
import { upnViolations } from '../../helpers/payment-codes/upn-rules.js';

const work = mkdtempSync(join(tmpdir(), 'obnova-symbol-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function invoicePage(market: 'si' | 'rs', name: string) {
  const policy = loadPolicy(market);
  const base: Omit<ProForma, 'qrPayload'> = {
    number: '2026-1234567890',
    reference: market === 'si' ? si12Reference('1234567890') : model97Reference('1234567890'),
    currency: policy.currency,
    vatBasisPoints: policy.vatBasisPoints,
    amount: policy.prices['existing-media'],
    issuedAt: new Date('2026-11-25T10:00:00Z'),
    dueAt: new Date('2026-12-10T10:00:00Z'),
    path: 'existing-media',
    billing: { name, street: 'Trubarjeva 5', postalCode: '1000', city: 'Ljubljana', country: 'SI', vatId: null },
  };
  const invoice: ProForma = { ...base, qrPayload: paymentPayload(policy, base) };
  const pdf = join(work, `${market}.pdf`);
  writeFileSync(pdf, await renderInvoicePdf(policy, invoice));
  return { invoice, pdf, reading: await readInvoiceSymbol(pdf, join(work, market), market) };
}

describe('payment QR symbol on the invoice page', () => {
  it('UPN QR: ECI 000004 before one byte segment, version 15, level M, the ISO 8859-2 bytes', async () => {
    const { invoice, reading } = await invoicePage('si', 'Žiga Čeh');
    expect(reading.segments).toEqual(['eci:4', 'byte']);
    expect(reading.version).toBe(15);
    expect(reading.level).toBe('M');
    // zxing-cpp's ECI-escaped bytes: ECI protocol in use (]Q2) and the designator \000004 in front of the data.
    expect(reading.eciText.startsWith(']Q2\\000004UPNQR\n')).toBe(true);
    expect([...reading.bytes]).toEqual([...toLatin2(invoice.qrPayload)]);
    expect(reading.bytes).toContain(0xc8); // Č in ISO 8859-2 (in UTF-8 it would be C4 8C)
    expect(reading.zbarText).toBe(invoice.qrPayload);
    expect(upnViolations(reading.zbarText)).toEqual([]);
  });

  it('UPN QR modules are 0,42333 mm: the finder centres stand 70 modules apart, 70 × 0,42333 mm on paper', async () => {
    for (const name of ['Ana Novak', 'Marko Kranjc']) {
      const { reading } = await invoicePage('si', name);
      const pixelsPerMm = reading.dpi / 25.4;
      expect(Math.abs(reading.finderDistance - 70 * 0.42333 * pixelsPerMm), `${name} at ${reading.dpi} dpi`).toBeLessThan(3);
    }
  });

  it('IPS QR: one UTF-8 byte segment without ECI, level M', async () => {
    const { invoice, reading } = await invoicePage('rs', 'Ђорђе Шћепановић');
    expect(reading.segments).toEqual(['byte']);
    expect(reading.level).toBe('M');
    expect(reading.eciText.startsWith(']Q1K:PR|')).toBe(true);
    expect(Buffer.from(reading.bytes).toString('utf8')).toBe(invoice.qrPayload);
    expect(reading.zbarText).toBe(invoice.qrPayload);
    expect(ipsViolations(reading.zbarText)).toEqual([]);
  });

  it('prints beside the code exactly what the code holds', async () => {
    for (const market of ['si', 'rs'] as const) {
      const { invoice, pdf } = await invoicePage(market, 'Љубица Ђорђевић Петровић-Његош');
      const page = spawnSync('pdftotext', ['-raw', pdf, '-'], { encoding: 'utf8' }).stdout;
      const lines =
        market === 'si'
          ? invoice.qrPayload.split('\n').filter((l, i) => [5, 6, 7, 11, 12, 13, 16, 17, 18].includes(i))
          : invoice.qrPayload.split('|').flatMap((t) => (/^(N|P|S|SF):/.test(t) ? t.replace(/^[A-Z]+:/, '').split('\n') : []));
      expect(lines.length).toBeGreaterThan(5);
      for (const line of lines) expect(page, `${market}: ${line}`).toContain(line);
      if (market === 'si') expect(page).toContain('Ljubica Đorđević Petrović-Njegoš');
    }
  });
});
