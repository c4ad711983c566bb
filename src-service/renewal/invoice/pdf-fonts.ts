/** Reads the invoice PDF fonts from build/fonts/ (found above this file or the working directory). */
import { resolve } from 'node:path';
import { ObnovaError } from '../../../src-shared/contract/errors.js';
import { createPdfFontLoader, findBuildFontDir, hasPdfFonts } from '../../../src-shared/pdf/font-files.js';

/** build/fonts/ of the checkout or deployment; OBNOVA_PDF_FONT_DIR overrides it. */
export function findPdfFontDir(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env.OBNOVA_PDF_FONT_DIR;
  if (explicit) {
    if (hasPdfFonts(resolve(explicit))) return resolve(explicit);
    throw new ObnovaError('INTERNAL', 'OBNOVA_PDF_FONT_DIR has no DejaVuSans.ttf and DejaVuSans-Bold.ttf', { path: resolve(explicit) });
  }
  return findBuildFontDir([import.meta.dirname, process.cwd()]);
}

/** Font bytes, read once per process. */
export const loadPdfFontBytes = createPdfFontLoader(() => findPdfFontDir());
