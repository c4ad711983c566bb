import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  cardsFileSchema,
  findNativeConfigDir,
  loadCards,
  loadPkcs11Modules,
  nativeConfigFiles,
  nativeConfigJsonSchemas,
  pkcs11ModulesFileSchema,
} from '../../../src-main/token/native-config.js';
import { matchAtr } from '../../../src-main/token/card-match.js';

const dir = findNativeConfigDir();
const readJson = (name: string): unknown => JSON.parse(readFileSync(join(dir, name), 'utf8'));

describe('native-config files', () => {
  it('committed JSON Schemas equal the ones generated from the zod schemas', () => {
    const generated = nativeConfigJsonSchemas();
    expect(readJson(nativeConfigFiles.modulesSchema)).toEqual(generated.modules);
    expect(readJson(nativeConfigFiles.cardsSchema)).toEqual(generated.cards);
  });

  it('the data files validate against their schemas', () => {
    expect(pkcs11ModulesFileSchema.safeParse(readJson(nativeConfigFiles.modules)).success).toBe(true);
    expect(cardsFileSchema.safeParse(readJson(nativeConfigFiles.cards)).success).toBe(true);
  });

  it('covers the middleware we promise, with SoftHSM last and every card pointing at a known module', () => {
    const { modules } = loadPkcs11Modules(dir);
    const ids = modules.map((m) => m.id);
    expect(ids).toEqual(expect.arrayContaining(['nexus-personal', 'opensc', 'safenet-etoken', 'thales-idprime', 'bit4id', 'charismathics', 'softhsm2']));
    expect(ids.at(-1)).toBe('softhsm2');
    for (const card of loadCards(dir).cards) expect(ids).toContain(card.middleware);
    const nexus = modules.find((m) => m.id === 'nexus-personal');
    expect(nexus?.platforms['win32-x64']).toContain('C:\\Windows\\System32\\personal64.dll');
  });

  it('rejects duplicate ids and an ATR whose mask has another length', () => {
    const dup = { modules: [{ id: 'a', name: 'A', vendor: 'v', platforms: {} }, { id: 'a', name: 'B', vendor: 'v', platforms: {} }] };
    expect(pkcs11ModulesFileSchema.safeParse(dup).success).toBe(false);
    const badMask = { cards: [{ atr: '3B:00', mask: 'FF', name: 'x', middleware: 'a' }] };
    expect(cardsFileSchema.safeParse(badMask).success).toBe(false);
  });
});

describe('matchAtr', () => {
  const cards = [
    { atr: '3B:7F:96:00', mask: 'FF:FF:FF:00', name: 'loose', middleware: 'a' },
    { atr: '3B:7F:96:12', mask: 'FF:FF:FF:FF', name: 'exact', middleware: 'b' },
    { atr: '3B:7F', mask: 'FF:FF', name: 'short', middleware: 'c' },
  ];

  it('matches under the mask, most specific first, whatever the separators and case', () => {
    expect(matchAtr('3b 7f 96 12', cards).map((c) => c.name)).toEqual(['exact', 'loose']);
    expect(matchAtr('3B7F96AA', cards).map((c) => c.name)).toEqual(['loose']);
  });

  it('needs the same length and a parseable ATR', () => {
    expect(matchAtr('3B:7F:96', cards)).toEqual([]);
    expect(matchAtr('zz', cards)).toEqual([]);
    expect(matchAtr('', cards)).toEqual([]);
  });

  it('recognises the committed example cards', () => {
    const known = loadCards(dir).cards;
    const eToken = matchAtr('3B:D5:18:00:81:31:FE:7D:80:73:C8:21:10:F4', known);
    expect(eToken[0]?.middleware).toBe('safenet-etoken');
    const idPrime = matchAtr('3B:7F:96:00:00:80:31:80:65:B0:85:03:00:EF:12:0F:FE:82:90:00', known);
    expect(idPrime[0]?.middleware).toBe('thales-idprime');
  });
});
