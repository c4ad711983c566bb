/**
 * Payment references. Slovenia: model SI12 = `(P1)K`, one mod-11 check digit K (ZBS "Navodilo za
 * pripravo izpisa UPN QR", §4.6 example `SI12 1234567890120`). Serbia: model 97 = check digits
 * first, ISO 7064 MOD 97-10 ("poziv na broj", NBS Odluka Prilog 1, example `9714123412`).
 * docs/protocol.md "Payment references" has the derivation and the rule for older orders.
 */
import { ObnovaError } from '../../../src-shared/contract/errors.js';
import type { Policy } from '../../../src-shared/contract/protocol/policy.js';

/** The sklic of an SI model is at most 22 characters (UPN field "Referenca prejemnika": 4 + 22). */
const si12MaxDigits = 22;

function digitsOnly(digits: string, what: string): void {
  if (!/^[0-9]+$/.test(digits)) throw new ObnovaError('INPUT_INVALID', `${what} must be digits`);
}

/** 98 − (n·100 mod 97), two digits; digits only, any length (BigInt keeps long numbers exact). */
export function mod97Check(digits: string): string {
  digitsOnly(digits, 'a reference base');
  const remainder = Number((BigInt(digits) * 100n) % 97n);
  return String(98 - remainder).padStart(2, '0');
}

/** Mod-11 check digit with weights 2, 3, 4, … from the right; K = 11 − (sum mod 11), and 10 or 11 give 0. */
export function mod11Check(digits: string): string {
  digitsOnly(digits, 'a reference base');
  let sum = 0;
  [...digits].reverse().forEach((d, i) => (sum += Number(d) * (i + 2)));
  const k = 11 - (sum % 11);
  return k >= 10 ? '0' : String(k);
}

/** True when the model-97 style number (check digits first) checks out. */
export function isValidModel97(value: string): boolean {
  const m = /^([0-9]{2})([0-9]+)$/.exec(value);
  return !!m && mod97Check(m[2]!) === m[1];
}

/** True for `SI12` + P1 + K with a correct mod-11 K (spaces allowed, as printed). */
export function isValidSi12(reference: string): boolean {
  const m = /^SI12([0-9]{2,22})$/.exec(reference.replace(/\s/g, ''));
  return !!m && m[1]!.length <= si12MaxDigits && mod11Check(m[1]!.slice(0, -1)) === m[1]!.slice(-1);
}

/**
 * Orders placed before the SI12 fix carry `SI12` + ten digits + two MOD 97-10 digits. They keep
 * that stored reference (payers already hold it); the invoice reprints it and camt.053 matches it.
 */
export function isLegacySi12(reference: string): boolean {
  const m = /^SI12([0-9]{10})([0-9]{2})$/.exec(reference.replace(/\s/g, ''));
  return !!m && mod97Check(m[1]!) === m[2];
}

/** `SI12` + base + mod-11 check digit. */
export function si12Reference(base: string): string {
  if (base.length + 1 > si12MaxDigits) throw new ObnovaError('INPUT_INVALID', 'an SI12 reference has at most 22 digits');
  return `SI12${base}${mod11Check(base)}`;
}

/** `97` + check digits + base. */
export function model97Reference(base: string): string {
  return `97${mod97Check(base)}${base}`;
}

/** The reference for an order's base number in the market's model. */
export function referenceFor(policy: Pick<Policy, 'payee'>, base: string): string {
  return policy.payee.referenceModel === 'SI12' ? si12Reference(base) : model97Reference(base);
}

/** Digits of a reference as a bank statement may print it (spaces, dashes, "SI12"/"97" prefixes kept). */
export function normalizeReference(text: string): string {
  return text.replace(/[\s-]/g, '').toUpperCase();
}
