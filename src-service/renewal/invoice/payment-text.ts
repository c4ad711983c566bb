/**
 * Text for payment-code fields: only characters the code's set allows, no control characters,
 * no leading, trailing or doubled blanks, cut to the field's length (and trimmed again after the
 * cut). A character outside the set is replaced in this order, and never by `?`:
 * 1. Serbian Cyrillic → Latin by the official table (Pravopis srpskoga jezika; Љ Њ Џ → Lj Nj Dž,
 *    or LJ NJ DŽ inside a word in capitals);
 * 2. the fallback table below (other Cyrillic letters, typographic punctuation, €);
 * 3. the letter without its accents (Unicode NFD, combining marks removed), if that is allowed;
 * 4. otherwise it becomes a blank (a separator such as `|` stays a word break; emoji, scripts
 *    without a Latin spelling here vanish once blanks are made single).
 */
const serbianCyrillic: Record<string, string> = {
  А: 'A', Б: 'B', В: 'V', Г: 'G', Д: 'D', Ђ: 'Đ', Е: 'E', Ж: 'Ž', З: 'Z', И: 'I', Ј: 'J', К: 'K', Л: 'L', Љ: 'Lj', М: 'M',
  Н: 'N', Њ: 'Nj', О: 'O', П: 'P', Р: 'R', С: 'S', Т: 'T', Ћ: 'Ć', У: 'U', Ф: 'F', Х: 'H', Ц: 'C', Ч: 'Č', Џ: 'Dž', Ш: 'Š',
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', ђ: 'đ', е: 'e', ж: 'ž', з: 'z', и: 'i', ј: 'j', к: 'k', л: 'l', љ: 'lj', м: 'm',
  н: 'n', њ: 'nj', о: 'o', п: 'p', р: 'r', с: 's', т: 't', ћ: 'ć', у: 'u', ф: 'f', х: 'h', ц: 'c', ч: 'č', џ: 'dž', ш: 'š',
};

/** Defined replacements for what neither the set nor the Serbian table covers. */
const fallback: Record<string, string> = {
  // Macedonian, Russian, Ukrainian, Belarusian letters (Serbian-style spelling).
  Ѓ: 'Gj', ѓ: 'gj', Ќ: 'Kj', ќ: 'kj', Ѕ: 'Dz', ѕ: 'dz', Й: 'J', й: 'j', Ы: 'Y', ы: 'y', Э: 'E', э: 'e', Ю: 'Ju', ю: 'ju',
  Я: 'Ja', я: 'ja', Ё: 'Jo', ё: 'jo', Щ: 'Šč', щ: 'šč', Ъ: '', ъ: '', Ь: '', ь: '', Є: 'Je', є: 'je', І: 'I', і: 'i',
  Ї: 'Ji', ї: 'ji', Ґ: 'G', ґ: 'g', Ў: 'U', ў: 'u',
  // Latin letters without a decomposition.
  Ø: 'O', ø: 'o', Æ: 'AE', æ: 'ae', Œ: 'OE', œ: 'oe', ß: 'ss', Þ: 'Th', þ: 'th', Ð: 'D', ð: 'd', Ł: 'L', ł: 'l', ı: 'i',
  // Typography.
  '\u2010': '-', '\u2011': '-', '\u2012': '-', '\u2013': '-', '\u2014': '-', '\u2212': '-', '\u2018': "'", '\u2019': "'",
  '\u201a': "'", '\u201b': "'", '\u201c': '"', '\u201d': '"', '\u201e': '"', '\u00ab': '"', '\u00bb': '"', '\u2026': '...',
  '\u20ac': 'EUR', '\u2116': 'No.', '\u00a0': ' ', '\u2007': ' ', '\u202f': ' ',
};

/** Control characters of any kind (C0, DEL, C1), line and paragraph separators: they become blanks. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const controls = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

function isUpper(c: string | undefined): boolean {
  return !!c && c !== c.toLowerCase() && c === c.toUpperCase();
}

/** One character in the allowed set, following the order in the header comment. */
function replacement(chars: string[], i: number, allowed: (c: string) => boolean): string {
  const c = chars[i]!;
  if (allowed(c)) return c;
  const serbian = serbianCyrillic[c];
  if (serbian !== undefined) {
    // Љ in ЉУБА or ЉЉ becomes LJ; alone or before a small letter it stays Lj.
    const capitals = serbian.length > 1 && (isUpper(chars[i + 1]) || (isUpper(chars[i - 1]) && !chars[i + 1]?.match(/\p{Ll}/u)));
    return keepAllowed(capitals ? serbian.toUpperCase() : serbian, allowed);
  }
  const defined = fallback[c];
  if (defined !== undefined) return keepAllowed(defined, allowed);
  return keepAllowed(c.normalize('NFD').replace(/\p{M}/gu, ''), allowed);
}

function keepAllowed(text: string, allowed: (c: string) => boolean): string {
  return [...text].map((c) => (allowed(c) ? c : ' ')).join('');
}

/** The field's text in the allowed set, blanks single, trimmed, at most `max` characters. */
export function fieldText(text: string, max: number, allowed: (c: string) => boolean): string {
  const chars = [...text.replace(controls, ' ').normalize('NFC')];
  const mapped = chars.map((_, i) => replacement(chars, i, allowed)).join('');
  const single = mapped.replace(/\s+/g, ' ').trim();
  return [...single].slice(0, max).join('').trimEnd();
}
