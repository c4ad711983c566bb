/** Which middleware a card in a reader needs (native-config/cards.json by ATR), and whether it is installed here. */
import { existsSync, statSync } from 'node:fs';
import type { ReaderReport } from '../../src-shared/contract/schemas/diagnostics.js';
import { matchAtr } from '../token/card-match.js';
import { expandEnvVars, platformKey } from '../token/module-resolver.js';
import type { CardEntry, Pkcs11ModuleEntry } from '../token/native-config.js';

export interface InstallContext {
  modules: readonly Pkcs11ModuleEntry[];
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  arch: string;
  fileExists?: (path: string) => boolean;
}

function isFile(path: string): boolean {
  try {
    return existsSync(path) && statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The installed library paths of one middleware on this OS (its native-config candidates that exist). */
export function installedPaths(entry: Pkcs11ModuleEntry, context: InstallContext): string[] {
  const key = platformKey(context.platform, context.arch);
  const exists = context.fileExists ?? isFile;
  const out: string[] = [];
  for (const candidate of (key && entry.platforms[key]) || []) {
    const path = expandEnvVars(candidate, context.env);
    if (path !== null && exists(path)) out.push(path);
  }
  return out;
}

/** A reader with the cards its ATR matches, and for each whether its middleware is installed. */
export function describeReader(reader: { name: string; atr: string | null }, cards: readonly CardEntry[], context: InstallContext): ReaderReport {
  const matches = reader.atr ? matchAtr(reader.atr, cards) : [];
  return {
    name: reader.name,
    atr: reader.atr,
    cards: matches.map((card) => {
      const entry = context.modules.find((m) => m.id === card.middleware);
      return {
        name: card.name,
        middleware: card.middleware,
        middlewareName: entry?.name ?? null,
        middlewareInstalled: entry ? installedPaths(entry, context).length > 0 : false,
        example: card.example === true,
      };
    }),
  };
}
