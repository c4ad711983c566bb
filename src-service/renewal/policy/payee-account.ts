/**
 * Check digits of a payee account, checked when a market policy loads so that no invoice ever
 * prints an account a bank refuses:
 * - IBAN (ISO 13616): country + 2 check digits + BBAN; rearranged, letters as 10–35, mod 97 = 1.
 * - Slovenian BBAN (15 digits, Banka Slovenije): the whole BBAN mod 97 = 1, its last two digits being
 *   98 − (first 13 digits · 100 mod 97). That makes every valid Slovenian IBAN start `SI56`.
 * - Serbian account (18 digits: bank 3, account 13, control 2; NBS): control = 98 − (first 16 · 100 mod 97).
 */
import type { Policy } from '../../../src-shared/contract/protocol/policy.js';
import { mod97Check } from '../invoice/payment-reference.js';

/** IBAN lengths of the markets we serve (ISO 13616 registry). */
const ibanLength: Record<string, number> = { SI: 19, RS: 22 };

function mod97(digits: string): number {
  return Number(BigInt(digits) % 97n);
}

/** ISO 13616 check: known length for the country, mod 97 of the rearranged number = 1. */
export function isValidIban(iban: string): boolean {
  const compact = iban.replace(/\s/g, '');
  if (!/^[A-Z]{2}[0-9]{2}[0-9A-Z]{1,30}$/.test(compact)) return false;
  const expected = ibanLength[compact.slice(0, 2)];
  if (expected !== undefined && compact.length !== expected) return false;
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  return mod97([...rearranged].map((c) => (/[A-Z]/.test(c) ? String(c.charCodeAt(0) - 55) : c)).join('')) === 1;
}

/** Slovenian national check: 15 digits, mod 97 = 1. */
export function isValidSlovenianBban(bban: string): boolean {
  return /^[0-9]{15}$/.test(bban) && mod97(bban) === 1;
}

/** Serbian 18-digit account: its last two digits are 98 − (first 16 · 100 mod 97), the model-97 check digits. */
export function isValidSerbianAccount(account: string): boolean {
  return /^[0-9]{18}$/.test(account) && mod97Check(account.slice(0, 16)) === account.slice(16);
}

/** Why the policy's payee account is not fit for the market's payment code, or null when it is. */
export function payeeAccountProblem(policy: Pick<Policy, 'paymentQr' | 'payee'>): string | null {
  const account = policy.payee.account;
  if (policy.paymentQr === 'upn-qr') {
    if (!isValidIban(account)) return `payee.account ${account} is not a valid IBAN (ISO 13616 mod 97)`;
    if (account.startsWith('SI') && !isValidSlovenianBban(account.slice(4))) {
      return `payee.account ${account} fails the Slovenian national check digits (BBAN mod 97 must be 1, so a Slovenian IBAN starts SI56)`;
    }
    return null;
  }
  if (!isValidSerbianAccount(account)) return `payee.account ${account} is not an 18-digit Serbian account with a valid mod-97 control number`;
  return null;
}
