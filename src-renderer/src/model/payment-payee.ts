/**
 * The payee and account as the holder's bank will read them: taken from the invoice's payment QR payload
 * (UPN QR: fixed LF-ended fields, payee IBAN 15th and name 17th; NBS IPS QR: `R:` account, `N:` name's first
 * line), so the words beside the code cannot disagree with the code.
 */
import type { Market } from '../../../src-shared/contract/protocol/policy.js';

export interface PaymentPayee {
  name: string;
  account: string;
  /** True for an IBAN (letters first), false for Serbia's 18-digit domestic account. */
  iban: boolean;
}

const upnPayeeIban = 14;
const upnPayeeName = 16;

function ibanGroups(account: string): string {
  return account.replace(/(.{4})(?=.)/g, '$1 ');
}

/** Serbian domestic account as written on paper: bank-account-check (3-13-2). */
function domesticGroups(account: string): string {
  return /^\d{18}$/.test(account) ? `${account.slice(0, 3)}-${account.slice(3, 16)}-${account.slice(16)}` : account;
}

export function paymentPayee(market: Market, payload: string): PaymentPayee | null {
  if (market === 'si') {
    const fields = payload.split('\n');
    if (fields[0] !== 'UPNQR') return null;
    const account = fields[upnPayeeIban]?.trim() ?? '';
    const name = fields[upnPayeeName]?.trim() ?? '';
    return account && name ? { name, account: ibanGroups(account), iban: true } : null;
  }
  const tags = new Map(payload.split('|').map((part) => [part.slice(0, part.indexOf(':')), part.slice(part.indexOf(':') + 1)] as const));
  const account = tags.get('R') ?? '';
  const name = tags.get('N')?.split('\n')[0]?.trim() ?? '';
  if (tags.get('K') !== 'PR' || !account || !name) return null;
  const iban = /^[A-Z]{2}/.test(account);
  return { name, account: iban ? ibanGroups(account) : domesticGroups(account), iban };
}
