/**
 * NBS IPS QR payload for a bill (tag K:PR): `tag:value` pairs joined by `|`, in the standard's
 * order, UTF-8. Sources: NBS Odluka o opštim pravilima za izvršavanje instant transfera odobrenja,
 * Prilog 1 (tags, lengths, amount, model 97), and the NBS "IPS QR kôd" recommendations (no empty
 * optional tag, nothing after the last field, the characters allowed in names).
 */
import { ObnovaError } from '../../../src-shared/contract/errors.js';
import { isValidSerbianAccount } from '../policy/payee-account.js';
import { isValidModel97 } from './payment-reference.js';
import { fieldText } from './payment-text.js';

export interface IpsQrInput {
  /** 18-digit payee account. */
  account: string;
  /** Payee name, then its seat: lines of tag N. */
  payee: string[];
  /** Minor units (para). */
  amount: number;
  /** Payer name and address lines (tag P, optional). */
  payer?: string[];
  /** Payment code, 3 digits starting with 1 or 2 (e.g. 221). */
  paymentCode: string;
  /** Purpose (tag S, optional, max 35). */
  purpose: string;
  /** `97…` reference: model, then the number (tag RO). */
  reference: string;
}

/** Largest amount: RSD999999999999,99 (Prilog 1, tag I). */
export const ipsMaxAmount = 99_999_999_999_999;

/** Special characters NBS lists for names (recommendations, tag N); `|` and `\` are not among them. */
const nbsSpecials = new Set([...'!"#$%&\'()*+,-./:;<=>?@[]^_`{}~']);

/** Letters of the Latin alphabet, Serbian Latin and Serbian Cyrillic, digits, blank and the NBS specials. */
function ipsAllowed(c: string): boolean {
  return /^[A-Za-z0-9 ČĆŽŠĐčćžšđ]$/.test(c) || /^[\u0402\u0408-\u040b\u040f-\u0418\u041a-\u0428\u0430-\u0438\u043a-\u0448\u0452\u0458-\u045b\u045f]$/.test(c) || nbsSpecials.has(c);
}

/** One line of a text tag as NBS allows it. */
export function ipsText(text: string, max: number): string {
  return fieldText(text, max, ipsAllowed);
}

/** Lines joined by LF within `max` characters in all; a line cut short keeps no trailing blank, empty lines go. */
export function ipsLines(lines: string[], max: number): string {
  const out: string[] = [];
  let left = max;
  for (const line of lines) {
    const room = left - (out.length ? 1 : 0);
    const text = room > 0 ? ipsText(line, room) : '';
    if (!text) continue;
    out.push(text);
    left = room - [...text].length;
  }
  return out.join('\n');
}

/** Amount as the standard writes it: RSD, comma decimals, no thousands separator. */
export function ipsAmount(minor: number): string {
  const units = Math.floor(minor / 100);
  const cents = minor % 100;
  return `RSD${units},${String(cents).padStart(2, '0')}`;
}

function refuse(message: string): never {
  throw new ObnovaError('INPUT_INVALID', `IPS QR: ${message}`);
}

/** Builds the payload text; refuses what Prilog 1 and the NBS recommendations do not allow. */
export function ipsQrPayload(input: IpsQrInput): string {
  if (!isValidSerbianAccount(input.account)) refuse(`account ${input.account} is not 18 digits with a valid control number`);
  if (!Number.isInteger(input.amount) || input.amount <= 0 || input.amount > ipsMaxAmount) refuse(`amount must be 1..${ipsMaxAmount} para`);
  if (!/^[12][0-9]{2}$/.test(input.paymentCode)) refuse('payment code must be 3 digits starting with 1 or 2');
  const m = /^97([0-9]{2,33})$/.exec(input.reference);
  if (!m || !isValidModel97(m[1]!)) refuse(`reference ${input.reference} is not model 97 with valid check digits`);
  const payee = ipsLines(input.payee, 70);
  if (!payee) refuse('payee name is required');
  const tags: [string, string][] = [
    ['K', 'PR'],
    ['V', '01'],
    ['C', '1'],
    ['R', input.account],
    ['N', payee],
    ['I', ipsAmount(input.amount)],
    ['P', ipsLines(input.payer ?? [], 70)],
    ['SF', input.paymentCode],
    ['S', ipsText(input.purpose, 35)],
    ['RO', input.reference],
  ];
  // An optional tag without a value is left out, never written empty (`|S:|`).
  return tags
    .filter(([, v]) => v !== '')
    .map(([t, v]) => `${t}:${v}`)
    .join('|');
}

/** Tag → value of a decoded payload. */
export function parseIpsQr(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split('|')) {
    const i = part.indexOf(':');
    if (i < 1) throw new ObnovaError('INPUT_INVALID', 'IPS QR part without a tag');
    out[part.slice(0, i)] = part.slice(i + 1);
  }
  if (out.K !== 'PR' || out.V !== '01') throw new ObnovaError('INPUT_INVALID', 'not an IPS QR bill (K:PR, V:01)');
  return out;
}
