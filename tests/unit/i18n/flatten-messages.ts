/** Flattens a catalogue to dotted keys, and splits i18next plural suffixes off keys, for catalogue tests. */
import type { MessageTree } from '../../../src-shared/i18n/index.js';

export function flattenMessages(tree: MessageTree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of flattenMessages(value, path)) out.set(k, v);
  }
  return out;
}

const pluralSuffix = /_(zero|one|two|few|many|other)$/;

/** `a.b_few` → { base: 'a.b', category: 'few' }; keys without a plural suffix have category null. */
export function splitPlural(key: string): { base: string; category: string | null } {
  const match = pluralSuffix.exec(key);
  return match ? { base: key.slice(0, match.index), category: match[1] ?? null } : { base: key, category: null };
}

/** The {{placeholders}} a message uses, sorted. */
export function placeholders(message: string): string[] {
  return [...message.matchAll(/\{\{\s*([^}\s]+)\s*\}\}/g)].map((m) => m[1] ?? '').sort();
}
