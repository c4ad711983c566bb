/**
 * UPN QR rules written from the ZBS programmer's guide (2017, §2–§4), independent of the builder:
 * every broken rule is returned as a sentence, an empty list means the payload passes.
 */
export const upnFieldNames = [
  'Vodilni slog', 'IBAN plačnika', 'Polog', 'Dvig', 'Referenca plačnika', 'Ime plačnika', 'Ulica in št. plačnika',
  'Kraj plačnika', 'Znesek', 'Datum plačila', 'Nujno', 'Koda namena', 'Namen plačila', 'Rok plačila', 'IBAN prejemnika',
  'Referenca prejemnika', 'Ime prejemnika', 'Ulica in št. prejemnika', 'Kraj prejemnika', 'Kontrolna vsota',
];

const latin2Decoder = new TextDecoder('iso-8859-2');
/** Every printable character of ISO 8859-2, from the code table itself (0x20–0x7E, 0xA0–0xFF). */
const latin2Printable = new Set([...Array.from({ length: 95 }, (_, i) => i + 0x20), ...Array.from({ length: 96 }, (_, i) => i + 0xa0)].map((b) => latin2Decoder.decode(Uint8Array.of(b))));

/** IBAN (ISO 13616): move the first four characters to the end, letters to 10–35, remainder mod 97 is 1. */
function ibanOk(iban: string): boolean {
  const moved = `${iban.slice(4)}${iban.slice(0, 4)}`.replace(/[A-Z]/g, (l) => `${l.charCodeAt(0) - 55}`);
  let rest = 0;
  for (const d of moved) rest = (rest * 10 + Number(d)) % 97;
  return rest === 1;
}

/** Model SI12 = (P1)K: K by mod 11, weights 2, 3, … from the right of P1, 11 − remainder, 10/11 → 0. */
function si12Ok(sklic: string): boolean {
  const p1 = sklic.slice(0, -1);
  let sum = 0;
  for (let i = 0; i < p1.length; i++) sum += Number(p1[p1.length - 1 - i]) * (i + 2);
  const k = (11 - (sum % 11)) % 11 % 10;
  return String(k) === sklic.slice(-1);
}

/** The rules broken by a decoded UPN QR text (the 20 LF-ended fields, no reserve). */
export function upnViolations(text: string, options: { legacyReference?: boolean } = {}): string[] {
  const bad: string[] = [];
  if (!text.endsWith('\n')) bad.push('the last field (control sum) must end with LF');
  const f = text.split('\n').slice(0, -1);
  if (f.length !== 20) return [...bad, `20 fields expected, found ${f.length}`];
  const sum = f.slice(0, 19).reduce((n, v) => n + v.length, 0) + 19;
  if (f[19] !== String(sum).padStart(3, '0')) bad.push(`control sum ${f[19]} but fields 1–19 with LF are ${sum}`);
  if (text.length > 411) bad.push('more than 411 characters');
  if (f[0] !== 'UPNQR') bad.push('field 1 must be UPNQR');
  for (const i of [1, 2, 3, 4, 9, 10]) if (f[i] !== '') bad.push(`${upnFieldNames[i]} must be empty`);
  const limits: Record<number, number> = { 5: 33, 6: 33, 7: 33, 12: 42, 16: 33, 17: 33, 18: 33 };
  for (const [i, max] of Object.entries(limits).map(([k, v]) => [Number(k), v] as const)) {
    const v = f[i]!;
    if (!v) bad.push(`${upnFieldNames[i]} is required`);
    if ([...v].length > max) bad.push(`${upnFieldNames[i]} longer than ${max}`);
    if (v !== v.trim()) bad.push(`${upnFieldNames[i]} has leading or trailing blanks`);
    for (const c of v) if (!latin2Printable.has(c)) bad.push(`${upnFieldNames[i]} holds U+${c.codePointAt(0)!.toString(16)} outside ISO 8859-2`);
  }
  if (!/^[0-9]{11}$/.test(f[8]!) || Number(f[8]) === 0) bad.push('Znesek must be eleven digits, more than zero');
  if (!/^[A-Z]{4}$/.test(f[11]!)) bad.push('Koda namena must be four capital letters');
  const due = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(f[13]!);
  const dueDate = due && new Date(Date.UTC(Number(due[3]), Number(due[2]) - 1, Number(due[1])));
  if (f[13] !== '' && (!dueDate || dueDate.getUTCDate() !== Number(due![1]) || dueDate.getUTCMonth() !== Number(due![2]) - 1)) bad.push('Rok plačila must be a real date DD.MM.LLLL');
  const iban = f[14]!;
  if (!/^[A-Z]{2}[0-9]{2}[0-9A-Z]+$/.test(iban) || iban.length > 34 || !ibanOk(iban)) bad.push('IBAN prejemnika must be an unformatted IBAN with a valid check');
  if (iban.startsWith('SI') && !(iban.length === 19 && iban.startsWith('SI56'))) bad.push('a Slovenian IBAN is SI56 and 15 digits');
  const ref = /^SI12([0-9]{2,22})$/.exec(f[15]!);
  if (!ref || [...f[15]!].length > 26) bad.push('Referenca prejemnika must be SI12 and the number, without blanks, at most 26');
  else if (!si12Ok(ref[1]!) && !options.legacyReference) bad.push('Referenca prejemnika fails the SI12 mod-11 check digit');
  return bad;
}
