/** The pro-forma invoice as a one-page A4 PDF (pdf-lib, embedded DejaVu Sans) with the VAT breakdown and the payment QR. */
import { PDFDocument, rgb } from 'pdf-lib';
import type { Policy } from '../../../src-shared/contract/protocol/policy.js';
import { embedPdfFonts } from '../../../src-shared/pdf/fonts.js';
import { paymentQrPng } from './payment-qr.js';
import { loadPdfFontBytes } from './pdf-fonts.js';
import type { ProForma } from './pro-forma.js';

/** Money for print: 1.234,56 (both markets write a decimal comma). */
export function formatMoney(minor: number, currency: string): string {
  const units = Math.floor(minor / 100).toLocaleString('de-DE');
  return `${units},${String(minor % 100).padStart(2, '0')} ${currency}`;
}

const words = {
  si: { title: 'PREDRAČUN', number: 'Številka', issued: 'Datum', due: 'Rok plačila', buyer: 'Kupec', item: 'Obnova kvalificiranega potrdila', net: 'Osnova', vat: 'DDV', gross: 'Za plačilo', ref: 'Referenca', pay: 'Plačajte z UPN QR' },
  rs: { title: 'PREDRAČUN', number: 'Broj', issued: 'Datum', due: 'Rok plaćanja', buyer: 'Kupac', item: 'Obnova kvalifikovanog sertifikata', net: 'Osnovica', vat: 'PDV', gross: 'Za uplatu', ref: 'Poziv na broj', pay: 'Platite IPS QR kodom' },
} as const;

/** Renders the PDF bytes. */
export async function renderInvoicePdf(policy: Policy, invoice: ProForma): Promise<Uint8Array> {
  const w = words[policy.market];
  const doc = await PDFDocument.create();
  doc.setTitle(`${w.title} ${invoice.number}`);
  doc.setCreator('Obnova CA');
  const page = doc.addPage([595.28, 841.89]);
  // A Unicode font, so payers' names and addresses (č, ć, đ, Cyrillic) are printed as written.
  const { regular: font, bold } = await embedPdfFonts(doc, loadPdfFontBytes());
  const text = (s: string, x: number, y: number, size = 10, f = font) => page.drawText(s, { x, y, size, font: f, color: rgb(0, 0, 0) });
  const dmy = (d: Date) => `${d.getUTCDate()}. ${d.getUTCMonth() + 1}. ${d.getUTCFullYear()}`;

  text(policy.payee.name, 50, 790, 12, bold);
  text(policy.payee.street, 50, 775);
  text(policy.payee.city, 50, 762);
  text(`${w.title} ${invoice.number}`, 50, 720, 18, bold);
  text(`${w.issued}: ${dmy(invoice.issuedAt)}`, 50, 700);
  text(`${w.due}: ${dmy(invoice.dueAt)}`, 50, 686);
  text(`${w.buyer}:`, 330, 700, 10, bold);
  const b = invoice.billing;
  [b.name, b.street, `${b.postalCode} ${b.city}`, b.country, b.vatId ?? ''].filter(Boolean).forEach((line, i) => text(line, 330, 686 - i * 13));

  const rate = `${(invoice.vatBasisPoints / 100).toLocaleString('de-DE')} %`;
  text(`${w.item} (${invoice.path})`, 50, 600);
  text(`${w.net}`, 330, 600);
  text(formatMoney(invoice.amount.net, invoice.currency), 450, 600);
  text(`${w.vat} ${rate}`, 330, 585);
  text(formatMoney(invoice.amount.vat, invoice.currency), 450, 585);
  text(w.gross, 330, 565, 11, bold);
  text(formatMoney(invoice.amount.gross, invoice.currency), 450, 565, 11, bold);
  text(`${w.ref}: ${invoice.reference}`, 50, 530, 11, bold);
  text(`IBAN / ${policy.payee.account}`, 50, 515);

  const png = await doc.embedPng(await paymentQrPng(policy, invoice.qrPayload));
  const size = 200;
  text(w.pay, 50, 480, 11, bold);
  page.drawImage(png, { x: 50, y: 470 - size, width: size, height: size });
  return doc.save();
}
