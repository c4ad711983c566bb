/**
 * Regenerates the Serbian Cyrillic catalogue from the Latin one after sr-latn.ts changes:
 *   npx tsx tests/unit/i18n/print-serbian-cyrillic.ts > src-shared/i18n/messages/sr-cyrl.ts
 * serbian-cyrillic.test.ts fails until the two agree.
 */
import { srLatn } from '../../../src-shared/i18n/messages/sr-latn.js';
import { serbianLatinToCyrillic } from './serbian-latin-to-cyrillic.js';
type T = { [k: string]: string | T };
function conv(t: T, indent: string): string {
  let s = '{\n';
  for (const [k, v] of Object.entries(t)) {
    const key = /^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? k : `'${k}'`;
    if (typeof v === 'string') s += `${indent}  ${key}: ${JSON.stringify(serbianLatinToCyrillic(v)).replace(/^"|"$/g, "'")},\n`;
    else s += `${indent}  ${key}: ${conv(v, indent + '  ')},\n`;
  }
  return s + indent + '}';
}
console.log(`/** Српски, ћирилица: the transliteration of sr-latn.ts (kept in step by tests/unit/i18n). */
import type { MessageTree } from '../message-tree.js';

export const srCyrl = ${conv(srLatn as unknown as T, '')} as const satisfies MessageTree;`);
