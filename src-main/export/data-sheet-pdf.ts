/** The data sheet as a one-page A4 PDF (pdf-lib, embedded DejaVu Sans): label column, wrapped values. */
import { PDFDocument, type PDFFont, rgb } from 'pdf-lib';
import { embedPdfFonts } from '../../src-shared/pdf/fonts.js';
import type { DataSheet } from './data-sheet.js';
import { loadPdfFontBytes } from './pdf-fonts.js';

const pageSize: [number, number] = [595.28, 841.89];
const margin = 50;
const labelWidth = 150;
const size = 10;
const lineHeight = 13;

/** Splits `text` into lines no wider than `width`, breaking at spaces, commas or, for long tokens, anywhere. */
function wrap(text: string, font: PDFFont, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/(?<=[ ,])/)) {
    if (font.widthOfTextAtSize(line + word, size) <= width) {
      line += word;
      continue;
    }
    if (line) lines.push(line.trimEnd());
    line = '';
    for (const ch of word) {
      if (font.widthOfTextAtSize(line + ch, size) > width && line) {
        lines.push(line);
        line = '';
      }
      line += ch;
    }
  }
  if (line.trim()) lines.push(line.trimEnd());
  return lines.length > 0 ? lines : [''];
}

/** PDF bytes of the sheet; document metadata carries the title so viewers and indexers show it. */
export async function renderDataSheetPdf(sheet: DataSheet, now: Date = new Date()): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  // A Unicode font, so holders' names (č, ć, đ) and Serbian Cyrillic are printed as written.
  const { regular: font, bold } = await embedPdfFonts(doc, loadPdfFontBytes());
  doc.setTitle(sheet.title);
  doc.setCreator('Obnova');
  doc.setProducer('Obnova');
  doc.setCreationDate(now);
  doc.setModificationDate(now);

  let page = doc.addPage(pageSize);
  let y = pageSize[1] - margin;
  page.drawText(sheet.title, { x: margin, y, size: 18, font: bold, color: rgb(0, 0, 0) });
  y -= 22;
  page.drawText(sheet.subtitle, { x: margin, y, size: 11, font, color: rgb(0.2, 0.2, 0.2) });
  y -= 28;

  const valueWidth = pageSize[0] - margin * 2 - labelWidth;
  for (const row of sheet.rows) {
    const lines = row.value.flatMap((v) => wrap(v, font, valueWidth));
    const labelLines = wrap(row.label, bold, labelWidth - 10);
    const height = Math.max(lines.length, labelLines.length) * lineHeight + 6;
    if (y - height < margin + 30) {
      page = doc.addPage(pageSize);
      y = pageSize[1] - margin;
    }
    labelLines.forEach((l, i) => page.drawText(l, { x: margin, y: y - i * lineHeight, size, font: bold }));
    lines.forEach((l, i) => page.drawText(l, { x: margin + labelWidth, y: y - i * lineHeight, size, font }));
    y -= height;
  }
  page.drawText(sheet.footer, { x: margin, y: margin, size: 8, font, color: rgb(0.35, 0.35, 0.35) });
  return doc.save({ useObjectStreams: false });
}
