/**
 * UPN QR payload for a registered issuer's order (ZBS "Navodilo za pripravo izpisa UPN QR
 * registriranih izdajateljev za programerje", 2017, §4): 19 fields in fixed order, each ended by
 * LF, then the 3-digit control sum and LF. Text is ISO 8859-2; the symbol is made in payment-qr.ts.
 */
import { ObnovaError } from '../../../src-shared/contract/errors.js';
import { latin2Byte } from '../../../src-shared/payment-qr/latin2.js';
import { isValidIban, isValidSlovenianBban } from '../policy/payee-account.js';
import { isLegacySi12, isValidSi12 } from './payment-reference.js';
import { fieldText } from './payment-text.js';

export interface UpnQrInput {
  payerName: string;
  payerStreet: string;
  payerCity: string;
  /** Minor units (cents). */
  amount: number;
  /** Four capital letters, ISO 20022 purpose (e.g. GDSV). */
  purposeCode: string;
  purpose: string;
  /** Due date. */
  due: Date;
  payeeIban: string;
  /** SI12 model and number. */
  payeeReference: string;
  payeeName: string;
  payeeStreet: string;
  payeeCity: string;
}

/** Field names in standard order (also what the tests compare a decoded QR against). */
export const upnQrFields = [
  'header',
  'payerIban',
  'deposit',
  'withdrawal',
  'payerReference',
  'payerName',
  'payerStreet',
  'payerCity',
  'amount',
  'paymentDate',
  'urgent',
  'purposeCode',
  'purpose',
  'due',
  'payeeIban',
  'payeeReference',
  'payeeName',
  'payeeStreet',
  'payeeCity',
] as const;
export type UpnQrField = (typeof upnQrFields)[number];

/** Free-text fields, their maximum length (§4 table) — all required for a registered issuer's order. */
const textFields = { payerName: 33, payerStreet: 33, payerCity: 33, purpose: 42, payeeName: 33, payeeStreet: 33, payeeCity: 33 } as const;

/** Largest amount: 11 digits of cents (§4.4), i.e. 1 billion euro − 1 cent (§2.2). */
export const upnMaxAmount = 99_999_999_999;

/** ISO 8859-2 printable characters: no control character ever reaches the payload. */
function upnAllowed(c: string): boolean {
  const b = latin2Byte(c);
  return b !== undefined && b >= 0x20 && b !== 0x7f && b !== 0xa0;
}

/** A text field as the QR and the printed UPN both carry it. */
export function upnText(text: string, max: number): string {
  return fieldText(text, max, upnAllowed);
}

function dateDdMmYyyy(d: Date): string {
  return `${String(d.getUTCDate()).padStart(2, '0')}.${String(d.getUTCMonth() + 1).padStart(2, '0')}.${d.getUTCFullYear()}`;
}

function refuse(message: string): never {
  throw new ObnovaError('INPUT_INVALID', `UPN QR: ${message}`);
}

/** Builds the payload text (fields joined by LF, control sum last); refuses what the guide does not allow. */
export function upnQrPayload(input: UpnQrInput): string {
  if (!Number.isInteger(input.amount) || input.amount <= 0 || input.amount > upnMaxAmount) refuse(`amount must be 1..${upnMaxAmount} cents`);
  if (!/^[A-Z]{4}$/.test(input.purposeCode)) refuse('purpose code must be four capital letters');
  if (Number.isNaN(input.due.getTime())) refuse('due date is not a date');
  const iban = input.payeeIban.replace(/\s/g, '');
  if (!isValidIban(iban) || (iban.startsWith('SI') && !isValidSlovenianBban(iban.slice(4)))) refuse(`payee IBAN ${iban} fails its check digits`);
  const reference = input.payeeReference.replace(/\s/g, '');
  if (!isValidSi12(reference) && !isLegacySi12(reference)) refuse(`payee reference ${reference} is not SI12 with a valid check digit`);
  const text = {} as Record<keyof typeof textFields, string>;
  for (const [field, max] of Object.entries(textFields) as [keyof typeof textFields, number][]) {
    text[field] = upnText(input[field], max);
    if (!text[field]) refuse(`${field} is required and has no character ISO 8859-2 can carry`);
  }
  const values: Record<UpnQrField, string> = {
    header: 'UPNQR',
    payerIban: '',
    deposit: '',
    withdrawal: '',
    payerReference: '',
    ...text,
    amount: String(input.amount).padStart(11, '0'),
    paymentDate: '',
    urgent: '',
    purposeCode: input.purposeCode,
    due: dateDdMmYyyy(input.due),
    payeeIban: iban,
    payeeReference: reference,
  };
  const body = upnQrFields.map((f) => `${values[f]}\n`).join('');
  // Control sum (§4.8): the length of fields 1–19 with their LFs, three digits.
  return `${body}${String(body.length).padStart(3, '0')}\n`;
}

/** Splits a decoded payload back into named fields and checks the control sum. */
export function parseUpnQr(text: string): Record<UpnQrField, string> & { controlSum: string } {
  const lines = text.split('\n');
  if (lines[0] !== 'UPNQR' || lines.length < 20) throw new ObnovaError('INPUT_INVALID', 'not a UPN QR payload');
  const body = lines.slice(0, 19).map((l) => `${l}\n`).join('');
  const controlSum = lines[19] ?? '';
  if (Number(controlSum) !== body.length) throw new ObnovaError('INPUT_INVALID', `UPN control sum ${controlSum} but ${body.length} characters`);
  const out = { controlSum } as Record<UpnQrField, string> & { controlSum: string };
  upnQrFields.forEach((f, i) => (out[f] = lines[i] ?? ''));
  return out;
}
