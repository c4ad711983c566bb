/** Which known cards an ATR belongs to, using the masks in native-config/cards.json. */
import { type CardEntry, normalizeHex } from './native-config.js';

function bytesOf(hex: string): number[] | null {
  const clean = normalizeHex(hex);
  if (clean.length === 0 || clean.length % 2 !== 0 || /[^0-9a-f]/.test(clean)) return null;
  const out: number[] = [];
  for (let i = 0; i < clean.length; i += 2) out.push(parseInt(clean.slice(i, i + 2), 16));
  return out;
}

function maskBits(mask: number[]): number {
  let bits = 0;
  for (const byte of mask) for (let b = byte; b; b >>= 1) bits += b & 1;
  return bits;
}

/**
 * The cards whose ATR equals `atr` under their mask (ISO 7816-3 ATR bytes; ":" or " " separators allowed),
 * most specific mask first. An unparseable ATR matches nothing.
 */
export function matchAtr(atr: string, cards: readonly CardEntry[]): CardEntry[] {
  const actual = bytesOf(atr);
  if (!actual) return [];
  const matches: Array<{ card: CardEntry; bits: number }> = [];
  for (const card of cards) {
    const expected = bytesOf(card.atr);
    const mask = bytesOf(card.mask);
    if (!expected || !mask || expected.length !== actual.length || mask.length !== actual.length) continue;
    if (actual.every((byte, i) => (byte & mask[i]!) === (expected[i]! & mask[i]!))) matches.push({ card, bits: maskBits(mask) });
  }
  return matches.sort((a, b) => b.bits - a.bits).map((m) => m.card);
}
