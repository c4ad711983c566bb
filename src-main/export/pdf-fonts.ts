/** Reads the PDF fonts for the app: build/fonts/ in development, resources/fonts/ in the packaged app. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ObnovaError } from '../../src-shared/contract/errors.js';
import { pdfFontFiles, type PdfFontBytes } from '../../src-shared/pdf/fonts.js';

let cached: PdfFontBytes | undefined;

/** The folder holding the fonts: Electron's resources/fonts (electron-builder extraResources), else build/fonts above this file or the working directory. */
export function findPdfFontDir(): string {
  const has = (dir: string) => existsSync(join(dir, pdfFontFiles.regular)) && existsSync(join(dir, pdfFontFiles.bold));
  const resourcesPath = (process as { resourcesPath?: string }).resourcesPath;
  if (resourcesPath && has(join(resourcesPath, 'fonts'))) return join(resourcesPath, 'fonts');
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
