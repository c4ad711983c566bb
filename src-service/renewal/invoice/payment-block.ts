/**
 * The printed payment block beside the QR: read back from the QR payload itself, so the invoice
 * prints exactly what the code holds (ZBS guide §2.2, §4: "Vsebina kode QR mora biti vedno enaka
 * podatkom izpisa"), formatted as each standard prints it.
 */
import type { Policy } from '../../../src-shared/contract/protocol/policy.js';
import { parseIpsQr } from './ips-qr.js';
import { parseUpnQr } from './upn-qr.js';

export interface PrintedField {
  label: string;
  lines: string[];
}

/** 1234,5 € as `***1.234,50` (ZBS guide §2.6). */
export function upnPrintedAmount(elevenDigits: string): string {
  const cents = Number(elevenDigits);
  return `***${Math.floor(cents / 100).toLocaleString('de-DE')},${String(cents % 100).padStart(2, '0')}`;
}

/** `SI56020170014356205` as `SI56 0201 7001 4356 205` (ZBS guide §2.5). */
export function groupedIban(iban: string): string {
  return iban.replace(/(.{4})(?=.)/g, '$1 ');
}

/** `265000000001234526` as `265-0000000012345-26` (bank, account, control). */
export function groupedSerbianAccount(account: string): string {
  return `${account.slice(0, 3)}-${account.slice(3, 16)}-${account.slice(16)}`;
}

/** `RSD4800,00` as `4.800,00`. */
function ipsPrintedAmount(tag: string): string {
  const [units = '0', decimals = ''] = tag.replace(/^RSD/, '').split(',');
  return `${Number(units).toLocaleString('de-DE')},${decimals.padEnd(2, '0')}`;
}

/** Labelled lines of the payment block for the market. */
export function printedPaymentFields(policy: Pick<Policy, 'paymentQr'>, payload: string): PrintedField[] {
  if (policy.paymentQr === 'upn-qr') {
    const f = parseUpnQr(payload);
    return [
      { label: 'Plačnik', lines: [f.payerName, f.payerStreet, f.payerCity] },
      { label: 'Znesek', lines: [`EUR ${upnPrintedAmount(f.amount)}`] },
      { label: 'Koda namena', lines: [f.purposeCode] },
      { label: 'Namen plačila', lines: [f.purpose] },
      { label: 'Rok plačila', lines: [f.due] },
      { label: 'IBAN prejemnika', lines: [groupedIban(f.payeeIban)] },
      { label: 'Referenca prejemnika', lines: [`${f.payeeReference.slice(0, 4)} ${f.payeeReference.slice(4)}`] },
      { label: 'Prejemnik', lines: [f.payeeName, f.payeeStreet, f.payeeCity] },
    ];
  }
  const t = parseIpsQr(payload);
  const fields: PrintedField[] = [];
  if (t.P) fields.push({ label: 'Platilac', lines: t.P.split('\n') });
  if (t.S) fields.push({ label: 'Svrha plaćanja', lines: [t.S] });
  fields.push({ label: 'Primalac', lines: (t.N ?? '').split('\n') });
  fields.push({ label: 'Šifra plaćanja', lines: [t.SF ?? ''] });
  fields.push({ label: 'Iznos', lines: [`RSD ${ipsPrintedAmount(t.I ?? '')}`] });
  fields.push({ label: 'Račun primaoca', lines: [groupedSerbianAccount(t.R ?? '')] });
  if (t.RO) fields.push({ label: 'Model i poziv na broj', lines: [`${t.RO.slice(0, 2)} ${t.RO.slice(2)}`] });
  return fields;
}
