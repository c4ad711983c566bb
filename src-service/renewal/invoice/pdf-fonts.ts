/** Reads the invoice PDF fonts from build/fonts/ (found above this file or the working directory). */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ObnovaError } from '../../../src-shared/contract/errors.js';
import { pdfFontFiles, type PdfFontBytes } from '../../../src-shared/pdf/fonts.js';

let cached: PdfFontBytes | undefined;

/** build/fonts/ of the checkout or deployment; OBNOVA_PDF_FONT_DIR overrides it. */
export function findPdfFontDir(env: NodeJS.ProcessEnv = process.env): string {
  const has = (dir: string) => existsSync(join(dir, pdfFontFiles.regular)) && existsSync(join(dir, pdfFontFiles.bold));
  const explicit = env.OBNOVA_PDF_FONT_DIR;
  if (explicit) {
    if (has(resolve(explicit))) return resolve(explicit);
    throw new ObnovaError('INTERNAL', 'OBNOVA_PDF_FONT_DIR has no DejaVuSans.ttf and DejaVuSans-Bold.ttf', { path: resolve(explicit) });
  }
  for (const start of [import.meta.dirname, process.cwd()]) {
    for (let dir = resolve(start); ; dir = dirname(dir)) {
      if (has(join(dir, 'build', 'fonts'))) return join(dir, 'build', 'fonts');
      if (dirname(dir) === dir) break;
    }
  }
  throw new ObnovaError('INTERNAL', 'the PDF fonts (build/fonts/DejaVuSans*.ttf) were not found', { fonts: Object.values(pdfFontFiles).join(', ') });
}

/** Font bytes, read once per process. */
export function loadPdfFontBytes(): PdfFontBytes {
  if (!cached) {
    const dir = findPdfFontDir();
    cached = { regular: readFileSync(join(dir, pdfFontFiles.regular)), bold: readFileSync(join(dir, pdfFontFiles.bold)) };
  }
  return cached;
}
