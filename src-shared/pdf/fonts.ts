/**
 * The Unicode font every PDF we write uses: DejaVu Sans (build/fonts/, licence beside it). pdf-lib's
 * standard fonts are WinAnsi and cannot print č, ć, đ or Cyrillic; an embedded TrueType font can.
 * Callers read the bytes (each side has its own loader), so this file needs no file system.
 */
import fontkit from '@pdf-lib/fontkit';
import type { PDFDocument, PDFFont } from 'pdf-lib';

/** File names of the fonts in build/fonts/ (or the packaged app's resources/fonts/). */
export const pdfFontFiles = { regular: 'DejaVuSans.ttf', bold: 'DejaVuSans-Bold.ttf' } as const;

/** Raw TrueType bytes of both weights. */
export interface PdfFontBytes {
  regular: Uint8Array;
  bold: Uint8Array;
}

/** Both weights, embedded in one document. */
export interface PdfFonts {
  regular: PDFFont;
  bold: PDFFont;
}

// PDF 32000-1 §9.6.4: a subset font's name starts with a six-capital-letter tag and '+'; pdf-lib's
// default (name plus a random number) makes viewers and pdffonts treat the subset as the whole font.
function subsetName(fontName: string): string {
  const tag = Array.from({ length: 6 }, () => String.fromCharCode(65 + Math.floor(Math.random() * 26))).join('');
  return `${tag}+${fontName}`;
}

/** Embeds both weights in `doc`, subset to the glyphs drawn so a one-page PDF stays tens of kB. */
export async function embedPdfFonts(doc: PDFDocument, bytes: PdfFontBytes): Promise<PdfFonts> {
  doc.registerFontkit(fontkit);
  const [regular, bold] = await Promise.all([
    doc.embedFont(bytes.regular, { subset: true, customName: subsetName('DejaVuSans') }),
    doc.embedFont(bytes.bold, { subset: true, customName: subsetName('DejaVuSans-Bold') }),
  ]);
  return { regular, bold };
}
