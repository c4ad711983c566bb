/**
 * Text the standard PDF fonts can print. They are WinAnsi (cp1252): Š, š, Ž, ž are in it, č, ć, đ and
 * Cyrillic are not, so Serbian Cyrillic is transliterated (the official Latin alphabet maps one to one)
 * and other letters lose their diacritics rather than breaking the PDF.
 */
const cyrillic: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', ђ: 'đ', е: 'e', ж: 'ž', з: 'z', и: 'i', ј: 'j', к: 'k', л: 'l', љ: 'lj', м: 'm',
  н: 'n', њ: 'nj', о: 'o', п: 'p', р: 'r', с: 's', т: 't', ћ: 'ć', у: 'u', ф: 'f', х: 'h', ц: 'c', ч: 'č', џ: 'dž', ш: 'š',
};

function transliterate(ch: string): string {
  const lower = ch.toLowerCase();
  const latin = cyrillic[lower];
  if (latin === undefined) return ch;
  if (ch === lower) return latin;
  return latin.charAt(0).toUpperCase() + latin.slice(1);
}

/** `text` with every character the font lacks replaced: Cyrillic → Latin, then diacritics dropped, then `?`. */
export function printable(text: string, supported: ReadonlySet<number>): string {
  let out = '';
  for (const original of text) {
    for (const ch of transliterate(original)) {
      if (supported.has(ch.codePointAt(0) ?? 0)) {
        out += ch;
        continue;
      }
      const base = ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
      const fallback = base === 'đ' ? 'dj' : base === 'Đ' ? 'Dj' : base;
      out += [...fallback].every((c) => supported.has(c.codePointAt(0) ?? 0)) ? fallback : '?';
    }
  }
  return out;
}
