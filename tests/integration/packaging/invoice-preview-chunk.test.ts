/**
 * The built renderer (out/) keeps pdf.js out of the first paint: the entry script only names the
 * invoice preview's chunk (loaded on the first Show), that chunk holds pdf.js with eval turned off,
 * and pdf.js's worker is an asset of the window's own origin.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const assets = resolve(import.meta.dirname, '../../../out/renderer/assets');
const html = readFileSync(resolve(assets, '../index.html'), 'utf8');
const entry = /<script[^>]+src="\.?\/?assets\/([^"]+\.js)"/.exec(html)?.[1];
const files = readdirSync(assets);
const previewChunk = files.find((f) => /^pdf-render-.*\.js$/.test(f));

describe('invoice preview chunk', () => {
  it('the entry script loads the preview chunk lazily and carries no pdf.js', () => {
    const code = readFileSync(join(assets, entry!), 'utf8');
    expect(previewChunk).toBeTruthy();
    expect(code).toContain(previewChunk);
    expect(code).not.toContain('GlobalWorkerOptions');
    expect(code).not.toContain('pdf.worker');
  });

  it('the preview chunk holds pdf.js with eval off and points at a worker served beside it', () => {
    const code = readFileSync(join(assets, previewChunk!), 'utf8');
    expect(code).toContain('GlobalWorkerOptions');
    expect(code).toMatch(/isEvalSupported:(!1|false)/);
    const worker = files.find((f) => /^pdf\.worker.*\.mjs$/.test(f));
    expect(worker).toBeTruthy();
    expect(code).toContain(worker);
  });
});
