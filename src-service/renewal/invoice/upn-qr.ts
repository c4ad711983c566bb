/**
 * UPN QR payload (Združenje bank Slovenije, "UPN QR" technical standard): 19 fields in fixed
 * order, each ended by LF, then a 3-digit control sum = the length of everything before it.
 * Text is ISO 8859-2, QR version 15, error correction M, byte mode with ECI 4.
 */
import { ObnovaError } from '../../../src-shared/contract/errors.js';

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
  /** e.g. SI12… */
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

const maxLength: Partial<Record<UpnQrField, number>> = {
  payerName: 33,
  payerStreet: 33,
  payerCity: 33,
  purpose: 42,
  payeeIban: 34,
  payeeReference: 26,
  payeeName: 33,
  payeeStreet: 33,
  payeeCity: 33,
};

let latin2Table: Map<string, number> | null = null;

/** Character → ISO 8859-2 byte for the upper half (the lower half is ASCII). */
function latin2(): Map<string, number> {
  if (!latin2Table) {
    latin2Table = new Map();
    const decoder = new TextDecoder('iso-8859-2');
    for (let b = 0xa0; b <= 0xff; b++) latin2Table.set(decoder.decode(new Uint8Array([b])), b);
  }
  return latin2Table;
}

/** Characters ISO 8859-2 cannot carry become '?', so the control sum counts what the QR holds. */
function latin2Safe(text: string): string {
  return [...text.replace(/[\r\n]/g, ' ').trim()].map((c) => ((c.codePointAt(0) ?? 0) < 0x7f || latin2().has(c) ? c : '?')).join('');
}

function dateDdMmYyyy(d: Date): string {
  return `${String(d.getUTCDate()).padStart(2, '0')}.${String(d.getUTCMonth() + 1).padStart(2, '0')}.${d.getUTCFullYear()}`;
}

/** Builds the payload text (join with LF, control sum last). */
export function upnQrPayload(input: UpnQrInput): string {
  if (!Number.isInteger(input.amount) || input.amount < 0 || input.amount > 99_999_999_999) {
    throw new ObnovaError('INPUT_INVALID', 'UPN amount must be 0..99999999999 cents');
  }
  if (!/^[A-Z]{4}$/.test(input.purposeCode)) throw new ObnovaError('INPUT_INVALID', 'UPN purpose code must be four capital letters');
  const values: Record<UpnQrField, string> = {
    header: 'UPNQR',
    payerIban: '',
    deposit: '',
    withdrawal: '',
    payerReference: '',
    payerName: input.payerName,
    payerStreet: input.payerStreet,
    payerCity: input.payerCity,
    amount: String(input.amount).padStart(11, '0'),
    paymentDate: '',
    urgent: '',
    purposeCode: input.purposeCode,
    purpose: input.purpose,
    due: dateDdMmYyyy(input.due),
    payeeIban: input.payeeIban.replace(/\s/g, ''),
    payeeReference: input.payeeReference.replace(/\s/g, ''),
    payeeName: input.payeeName,
    payeeStreet: input.payeeStreet,
    payeeCity: input.payeeCity,
  };
  const body = upnQrFields
    .map((f) => {
      const v = latin2Safe(values[f]);
      const max = maxLength[f];
      return `${max ? v.slice(0, max) : v}\n`;
    })
    .join('');
  // Control sum: number of characters of fields 1–19 with their LFs (standard §"Kontrolna vsota").
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

/** ISO 8859-2 bytes of a payload (the QR carries these bytes). */
export function toLatin2(text: string): Buffer {
  return Buffer.from([...text].map((c) => ((c.codePointAt(0) ?? 0x3f) < 0x80 ? (c.codePointAt(0) ?? 0x3f) : (latin2().get(c) ?? 0x3f))));
}
