/** The pro-forma invoice as a one-page A4 PDF (pdf-lib, embedded DejaVu Sans) with the VAT breakdown and the payment QR. */
import { PDFDocument, rgb } from 'pdf-lib';
import type { Policy } from '../../../src-shared/contract/protocol/policy.js';
import { embedPdfFonts } from '../../../src-shared/pdf/fonts.js';
import { groupedIban, groupedSerbianAccount, printedPaymentFields } from './payment-block.js';
import { drawPaymentQr, invoiceQrSymbol, qrModulePoints } from './payment-qr.js';
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
  // Model and number apart, the account grouped, as both markets print them.
  text(`${w.ref}: ${invoice.reference.slice(0, policy.payee.referenceModel.length)} ${invoice.reference.slice(policy.payee.referenceModel.length)}`, 50, 530, 11, bold);
  text(policy.paymentQr === 'upn-qr' ? `IBAN: ${groupedIban(policy.payee.account)}` : `Račun: ${groupedSerbianAccount(policy.payee.account)}`, 50, 515);

  text(w.pay, 50, 480, 11, bold);
  // Top-left module at (50 pt, 377 pt from the top edge): whole points, so a rendering at a resolution
  // whose pixels divide the module (e.g. 360 dpi for UPN QR's 1,2 pt) puts every module on the pixel grid.
  const qrSide = drawPaymentQr(page, invoiceQrSymbol(policy, invoice.qrPayload), 50, page.getHeight() - 377, qrModulePoints(policy));
  // What the code holds, printed beside it field by field.
  let y = 462;
  // A fixed column keeps the text out of the code's quiet zone whatever version the payload needs.
  const column = Math.max(50 + qrSide + 24, policy.paymentQr === 'upn-qr' ? 166 : 224);
  for (const field of printedPaymentFields(policy, invoice.qrPayload)) {
    text(field.label, column, y, 7.5);
    // A long line (up to 70 characters in IPS QR) gets a smaller size rather than running off the page.
    const room = page.getWidth() - 30 - (column + 100);
    field.lines.forEach((line, i) => text(line, column + 100, y - i * 11, Math.min(9, room / Math.max(1, font.widthOfTextAtSize(line, 1)))));
    y -= Math.max(1, field.lines.length) * 11 + 3;
  }
  return doc.save();
}
