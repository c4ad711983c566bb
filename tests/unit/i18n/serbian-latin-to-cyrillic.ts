/**
 * Serbian Latin → Cyrillic (Vuk's one letter per sound), used to check that the sr-Cyrl catalogue
 * stays the transliteration of sr-Latn. Placeholders and Latin-only terms (USB, SHA-256) are kept.
 */
const digraphs: ReadonlyArray<readonly [string, string]> = [
  ['DŽ', 'Џ'], ['Dž', 'Џ'], ['dž', 'џ'],
  ['LJ', 'Љ'], ['Lj', 'Љ'], ['lj', 'љ'],
  ['NJ', 'Њ'], ['Nj', 'Њ'], ['nj', 'њ'],
];

const letters: Readonly<Record<string, string>> = {
  a: 'а', b: 'б', c: 'ц', č: 'ч', ć: 'ћ', d: 'д', đ: 'ђ', e: 'е', f: 'ф', g: 'г', h: 'х', i: 'и', j: 'ј', k: 'к',
  l: 'л', m: 'м', n: 'н', o: 'о', p: 'п', r: 'р', s: 'с', š: 'ш', t: 'т', u: 'у', v: 'в', z: 'з', ž: 'ж',
};

/** Latin terms that stay Latin in Serbian Cyrillic text. */
const keptLatin = /(\{\{[^}]+\}\}|\bUSB\b|\bSHA-256\b)/;

function transliteratePlain(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const pair = text.slice(i, i + 2);
    const digraph = digraphs.find(([latin]) => latin === pair);
    if (digraph) {
      out += digraph[1];
      i++;
      continue;
    }
    const ch = text[i] ?? '';
    const lower = ch.toLowerCase();
    const mapped = letters[lower];
    out += mapped === undefined ? ch : ch === lower ? mapped : mapped.toUpperCase();
  }
  return out;
}

/** One string from Serbian Latin to Serbian Cyrillic. */
export function serbianLatinToCyrillic(text: string): string {
  return text
    .split(keptLatin)
    .map((part, index) => (index % 2 === 1 ? part : transliteratePlain(part)))
    .join('');
}
