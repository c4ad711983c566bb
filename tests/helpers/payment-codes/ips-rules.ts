/**
 * NBS IPS QR rules for a bill (K:PR), written from the NBS Odluka, Prilog 1 and the NBS "IPS QR kôd"
 * recommendations, independent of the builder: each broken rule as a sentence.
 */
const order = ['K', 'V', 'C', 'R', 'N', 'I', 'O', 'P', 'SF', 'S', 'M', 'JS', 'RO', 'RL', 'RP'];
const required = ['K', 'V', 'C', 'R', 'N', 'I', 'SF'];
/** Letters of the Serbian Latin and Cyrillic alphabets plus the English letters, digits and the NBS special characters table. */
const nameCharacter = /^[A-Za-z0-9 ČĆŽŠĐčćžšđАБВГДЂЕЖЗИЈКЛЉМНЊОПРСТЋУФХЦЧЏШабвгдђежзијклљмнњопрстћуфхцчџш!()/@}:[~#*;\]$+<^%,=_"&\->`.?{']$/;

/** 18 digits: bank 3, account 13, control 2 = 98 − (first 16 · 100 mod 97). */
function accountOk(r: string): boolean {
  if (!/^[0-9]{18}$/.test(r)) return false;
  let rest = 0;
  for (const d of `${r.slice(0, 16)}00`) rest = (rest * 10 + Number(d)) % 97;
  return 98 - rest === Number(r.slice(16));
}

/** Model 97: the two digits after 97 are 98 − (number · 100 mod 97). */
function model97Ok(ro: string): boolean {
  const m = /^97([0-9]{2})([0-9]+)$/.exec(ro);
  if (!m) return false;
  let rest = 0;
  for (const d of `${m[2]}00`) rest = (rest * 10 + Number(d)) % 97;
  return 98 - rest === Number(m[1]);
}

export function ipsViolations(text: string): string[] {
  const bad: string[] = [];
  if (/^[\s|]/.test(text)) bad.push('the text must start with the first tag, not a blank, a line or a |');
  if (/[\s|]$/.test(text)) bad.push('nothing may follow the last field: no |, blank or new line');
  const pairs = text.split('|').map((p) => [p.slice(0, p.indexOf(':')), p.slice(p.indexOf(':') + 1)] as const);
  const tags = pairs.map(([t]) => t);
  if (tags.some((t, i) => order.indexOf(t) < 0 || (i > 0 && order.indexOf(t) <= order.indexOf(tags[i - 1]!)))) bad.push(`tags out of order or unknown: ${tags.join(',')}`);
  for (const t of required) if (!tags.includes(t)) bad.push(`tag ${t} is required`);
  const v = Object.fromEntries(pairs);
  for (const [t, value] of pairs) if (value === '') bad.push(`optional tag ${t} written empty`);
  if (v.K !== 'PR' || v.V !== '01' || v.C !== '1') bad.push('K:PR, V:01, C:1 expected');
  if (!accountOk(v.R ?? '')) bad.push('R must be 18 digits with a valid control number');
  for (const t of ['N', 'P']) {
    if (v[t] === undefined) continue;
    if ([...v[t]].length > 70) bad.push(`${t} longer than 70`);
    for (const line of v[t].split('\n')) {
      if (line === '' || line !== line.trim()) bad.push(`${t} has an empty line or a blank at a line's start or end`);
      for (const c of line) if (!nameCharacter.test(c)) bad.push(`${t} holds U+${c.codePointAt(0)!.toString(16)}, not a character NBS allows`);
    }
  }
  const amount = /^RSD([0-9]{1,12}),([0-9]{0,2})$/.exec(v.I ?? '');
  if (!amount || Number(`${amount[1]}.${amount[2] || '0'}`) < 0.01) bad.push('I must be RSD, 1–12 digits, a decimal comma, at least RSD0,01');
  if (!/^[12][0-9]{2}$/.test(v.SF ?? '')) bad.push('SF must be three digits starting with 1 or 2');
  if (v.S !== undefined && ([...v.S].length > 35 || v.S !== v.S.trim() || v.S.includes('\n'))) bad.push('S at most 35 characters on one line without outer blanks');
  if (v.RO !== undefined && ([...v.RO].length > 35 || !model97Ok(v.RO))) bad.push('RO must be model 97 with valid check digits, without dashes or blanks');
  return bad;
}
