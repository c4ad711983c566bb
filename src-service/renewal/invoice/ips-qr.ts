/**
 * NBS IPS QR payload (Narodna banka Srbije, "IPS QR code" standard, tag K:PR for a bill):
 * `tag:value` pairs separated by `|`, in the standard's order, UTF-8.
 */
import { ObnovaError } from '../../../src-shared/contract/errors.js';

export interface IpsQrInput {
  /** 18-digit payee account. */
  account: string;
  /** Payee name and place, lines separated by LF (max 70). */
  payee: string;
  /** Minor units (para). */
  amount: number;
  /** Payer name and address (optional, max 70). */
  payer?: string;
  /** Payment code, 3 digits starting with 1 or 2 (e.g. 221). */
  paymentCode: string;
  /** Purpose (max 35). */
  purpose: string;
  /** `97…` reference: model, then the number ("RO"). */
  reference: string;
}

/** Amount as the standard writes it: RSD, comma decimals, no thousands separator, at least one decimal. */
export function ipsAmount(minor: number): string {
  const units = Math.floor(minor / 100);
  const cents = minor % 100;
  return `RSD${units},${String(cents).padStart(2, '0')}`;
}

function clean(text: string, max: number): string {
  return text.replace(/\|/g, ' ').trim().slice(0, max);
}

/** Builds the payload text. */
export function ipsQrPayload(input: IpsQrInput): string {
  if (!/^[0-9]{18}$/.test(input.account)) throw new ObnovaError('INPUT_INVALID', 'IPS account must be 18 digits');
  if (!/^[12][0-9]{2}$/.test(input.paymentCode)) throw new ObnovaError('INPUT_INVALID', 'IPS payment code must be 3 digits starting with 1 or 2');
  if (!/^[0-9]{2}[0-9A-Za-z-]{1,23}$/.test(input.reference)) throw new ObnovaError('INPUT_INVALID', 'IPS reference must be a model and a number');
  const tags = [
    ['K', 'PR'],
    ['V', '01'],
    ['C', '1'],
    ['R', input.account],
    ['N', clean(input.payee, 70)],
    ['I', ipsAmount(input.amount)],
    ...(input.payer ? [['P', clean(input.payer, 70)]] : []),
    ['SF', input.paymentCode],
    ['S', clean(input.purpose, 35)],
    ['RO', input.reference],
  ];
  return tags.map(([t, v]) => `${t}:${v}`).join('|');
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
