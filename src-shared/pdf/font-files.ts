/**
 * Finding and reading the PDF font files, shared by the app's and the service's loaders (each adds
 * its own first places to look: the packaged app's resources, the service's OBNOVA_PDF_FONT_DIR).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ObnovaError } from '../contract/errors.js';
import { pdfFontFiles, type PdfFontBytes } from './fonts.js';

/** Both weights are in `dir`. */
export function hasPdfFonts(dir: string): boolean {
  return existsSync(join(dir, pdfFontFiles.regular)) && existsSync(join(dir, pdfFontFiles.bold));
}

/** build/fonts/ of the checkout, found by walking up from each start folder in turn. */
export function findBuildFontDir(starts: readonly string[]): string {
  for (const start of starts) {
    for (let dir = resolve(start); ; dir = dirname(dir)) {
      if (hasPdfFonts(join(dir, 'build', 'fonts'))) return join(dir, 'build', 'fonts');
      if (dirname(dir) === dir) break;
    }
  }
  throw new ObnovaError('INTERNAL', 'the PDF fonts (build/fonts/DejaVuSans*.ttf) were not found', { fonts: Object.values(pdfFontFiles).join(', ') });
}

/** A loader that finds the folder and reads both weights once per process. */
export function createPdfFontLoader(findDir: () => string): () => PdfFontBytes {
  let cached: PdfFontBytes | undefined;
  return () => {
    if (!cached) {
      const dir = findDir();
      cached = { regular: readFileSync(join(dir, pdfFontFiles.regular)), bold: readFileSync(join(dir, pdfFontFiles.bold)) };
    }
    return cached;
  };
}
