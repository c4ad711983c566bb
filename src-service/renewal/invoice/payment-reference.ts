/**
 * Payment references with ISO 7064 MOD 97-10 check digits: Slovenian model SI12 (check digits
 * last) and Serbian model 97 (check digits first, "poziv na broj").
 */
import { ObnovaError } from '../../../src-shared/contract/errors.js';
import type { Policy } from '../../../src-shared/contract/protocol/policy.js';

/** 98 − (n·100 mod 97), two digits; digits only, any length (BigInt keeps long numbers exact). */
export function mod97Check(digits: string): string {
  if (!/^[0-9]+$/.test(digits)) throw new ObnovaError('INPUT_INVALID', 'a reference base must be digits');
  const remainder = Number((BigInt(digits) * 100n) % 97n);
  return String(98 - remainder).padStart(2, '0');
}

/** True when the model-97 style number (check digits first) checks out. */
export function isValidModel97(value: string): boolean {
  const m = /^([0-9]{2})([0-9]+)$/.exec(value);
  return !!m && mod97Check(m[2]!) === m[1];
}

/** `SI12 ` + base + check digits. */
export function si12Reference(base: string): string {
  return `SI12${base}${mod97Check(base)}`;
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
