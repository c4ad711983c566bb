/**
 * The built renderer (out/) loads one catalogue at a time: the entry script that index.html loads holds no
 * catalogue, and each language's words sit in a chunk of their own that renderer-i18n.ts imports on demand.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogues, supportedLocales } from '../../../src-shared/i18n/index.js';

const assets = resolve(import.meta.dirname, '../../../out/renderer/assets');
const html = readFileSync(resolve(assets, '../index.html'), 'utf8');
const entry = /<script[^>]+src="\.?\/?assets\/([^"]+\.js)"/.exec(html)?.[1];
const heading = (locale: (typeof supportedLocales)[number]): string => ((catalogues[locale].renewal as Record<string, string>).heading ?? '').toString();

describe('renderer chunks', () => {
  it('index.html loads an entry script that carries none of the four catalogues', () => {
    expect(entry).toBeTruthy();
    const code = readFileSync(join(assets, entry!), 'utf8');
    for (const locale of supportedLocales) expect(code, locale).not.toContain(JSON.stringify(heading(locale)).slice(1, -1));
  });

  it('each catalogue is its own chunk', () => {
    const chunks = readdirSync(assets).filter((f) => f.endsWith('.js'));
    for (const locale of supportedLocales) {
      const holders = chunks.filter((f) => readFileSync(join(assets, f), 'utf8').includes(heading(locale)));
      expect(holders, locale).toHaveLength(1);
      expect(holders[0]).toMatch(new RegExp(`^${locale.toLowerCase()}-`));
    }
  });
});
