import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findPdfFontDir } from '../../../src-main/export/pdf-fonts.js';
import { pdfFontFiles } from '../../../src-shared/pdf/fonts.js';

const proc = process as { resourcesPath?: string };
const original = proc.resourcesPath;
afterEach(() => {
  if (original === undefined) delete proc.resourcesPath;
  else proc.resourcesPath = original;
});

describe('findPdfFontDir (app)', () => {
  it('finds build/fonts above the source file in development', () => {
    delete proc.resourcesPath;
    expect(findPdfFontDir()).toBe(resolve(import.meta.dirname, '../../../build/fonts'));
  });

  it('prefers resources/fonts of the packaged app (electron-builder extraResources)', () => {
    const resources = mkdtempSync(join(tmpdir(), 'obnova-resources-'));
    try {
      mkdirSync(join(resources, 'fonts'));
      for (const file of Object.values(pdfFontFiles)) copyFileSync(join(import.meta.dirname, '../../../build/fonts', file), join(resources, 'fonts', file));
      proc.resourcesPath = resources;
      expect(findPdfFontDir()).toBe(join(resources, 'fonts'));
    } finally {
      rmSync(resources, { recursive: true, force: true });
    }
  });
});
