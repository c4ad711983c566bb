/**
 * Regenerates the Serbian Cyrillic catalogue from the Latin one after sr-latn.ts changes:
 *   npx tsx tests/unit/i18n/print-serbian-cyrillic.ts > src-shared/i18n/messages/sr-cyrl.ts
 * and screens/sr-cyrl.ts from screens/sr-latn.ts (the words of the finish, steps and helpdesk summary):
 *   npx tsx tests/unit/i18n/print-serbian-cyrillic.ts screens > src-shared/i18n/messages/screens/sr-cyrl.ts
 * serbian-cyrillic.test.ts fails until the two agree.
 */
import { srLatn } from '../../../src-shared/i18n/messages/sr-latn.js';
import { srLatnScreens } from '../../../src-shared/i18n/messages/screens/sr-latn.js';
import { serbianLatinToCyrillic } from './serbian-latin-to-cyrillic.js';
type T = { [k: string]: string | T };
function conv(t: T, indent: string, spread = ''): string {
  let s = `{\n${spread}`;
  for (const [k, v] of Object.entries(t)) {
    if (spread && k in srLatnScreens) continue;
    const key = /^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? k : `'${k}'`;
    if (typeof v === 'string') s += `${indent}  ${key}: ${JSON.stringify(serbianLatinToCyrillic(v)).replace(/^"|"$/g, "'")},\n`;
    else s += `${indent}  ${key}: ${conv(v, indent + '  ')},\n`;
  }
  return s + indent + '}';
}
if (process.argv[2] === 'screens') {
  console.log(`/** Српски, ћирилица: the transliteration of screens/sr-latn.ts (kept in step by tests/unit/i18n). */
export const srCyrlScreens = ${conv(srLatnScreens as unknown as T, '')} as const;`);
} else console.log(`/** Српски, ћирилица: the transliteration of sr-latn.ts (kept in step by tests/unit/i18n). */
import type { MessageTree } from '../message-tree.js';
import { srCyrlScreens } from './screens/sr-cyrl.js';

export const srCyrl = ${conv(srLatn as unknown as T, '', '  ...srCyrlScreens,\n')} as const satisfies MessageTree;`);
