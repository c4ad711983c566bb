/** Reads the PDF fonts for the app: build/fonts/ in development, resources/fonts/ in the packaged app. */
import { join } from 'node:path';
import { createPdfFontLoader, findBuildFontDir, hasPdfFonts } from '../../src-shared/pdf/font-files.js';

/** The folder holding the fonts: Electron's resources/fonts (electron-builder extraResources), else build/fonts above this file or the working directory. */
export function findPdfFontDir(): string {
  const resourcesPath = (process as { resourcesPath?: string }).resourcesPath;
  if (resourcesPath && hasPdfFonts(join(resourcesPath, 'fonts'))) return join(resourcesPath, 'fonts');
  return findBuildFontDir([import.meta.dirname, process.cwd()]);
}

/** Font bytes, read once per process. */
export const loadPdfFontBytes = createPdfFontLoader(findPdfFontDir);
