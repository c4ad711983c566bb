/**
 * UPN QR and NBS IPS QR payloads: the ZBS guide's own worked example byte for byte, field hygiene
 * (truncation, blanks, control characters, transliteration, amount range, required fields) and the
 * refusals, each checked by rules written from the specifications (tests/helpers/payment-codes).
 */
import { describe, expect, it } from 'vitest';
import { ipsQrPayload, type IpsQrInput } from '../../../src-service/renewal/invoice/ips-qr.js';
import { mod97Check } from '../../../src-service/renewal/invoice/payment-reference.js';
import { parseUpnQr, upnQrPayload, type UpnQrInput } from '../../../src-service/renewal/invoice/upn-qr.js';
import type { ObnovaError } from '../../../src-shared/contract/errors.js';
import { ipsViolations } from '../../helpers/payment-codes/ips-rules.js';
import { upnViolations } from '../../helpers/payment-codes/upn-rules.js';

/** ZBS guide §5: the example order. */
const zbsExample: UpnQrInput = {
  payerName: 'Janez Novak',
  payerStreet: 'Dunajska ulica 1',
  payerCity: '1000 Ljubljana',
  amount: 8105,
  purposeCode: 'RENT',
  purpose: 'Plačilo najemnine za marec 2017',
  due: new Date(Date.UTC(2017, 3, 1)),
  payeeIban: 'SI56 0201 7001 4356 205',
  payeeReference: 'SI12 1234567890120',
  payeeName: 'RentaCar d.o.o.',
  payeeStreet: 'Pohorska ulica 22',
  payeeCity: '2000 Maribor',
};

/** ZBS guide §5.3, the C# string. */
const zbsExamplePayload =
  'UPNQR\n\n\n\n\nJanez Novak\nDunajska ulica 1\n1000 Ljubljana\n' +
  '00000008105\n\n\nRENT\nPlačilo najemnine za marec 2017\n01.04.2017\n' +
  'SI56020170014356205\nSI121234567890120\nRentaCar d.o.o.\nPohorska ulica 22\n' +
  '2000 Maribor\n201\n';

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return (error as ObnovaError).code;
  }
  return 'OK';
}

describe('UPN QR payload', () => {
  it('writes the ZBS guide example exactly, control sum 201', () => {
    expect(upnQrPayload(zbsExample)).toBe(zbsExamplePayload);
    expect(upnViolations(zbsExamplePayload)).toEqual([]);
  });

  it('cuts long UTF-8 names to 33/42 characters with no blank left at the cut, and blanks, tabs and new lines never reach a field', () => {
    const payload = upnQrPayload({
      ...zbsExample,
      // The 33rd character is a blank: cut there, the field must not end with it.
      payerName: `  Ana-Marija Čebašek Žužek Kovačič ${'Ščukovič '.repeat(4)}`,
      payerStreet: 'Trubarjeva\tcesta\n5|a',
      purpose: `Obnova\r\npotrdila ${'ž'.repeat(60)}`,
    });
    expect(upnViolations(payload)).toEqual([]);
    const f = parseUpnQr(payload);
    expect(f.payerName).toBe('Ana-Marija Čebašek Žužek Kovačič');
    expect(f.payerStreet).toBe('Trubarjeva cesta 5|a');
    expect([...f.purpose]).toHaveLength(42);
    expect(f.purpose.startsWith('Obnova potrdila žž')).toBe(true);
  });

  it('writes a Cyrillic buyer by the official Serbian table and replaces –, €, “ ” by a defined fallback, never ?', () => {
    const f = parseUpnQr(
      upnQrPayload({ ...zbsExample, payerName: 'Љубица Ђорђевић – ЏЕЛАТОВИЋ', payerStreet: 'Улица Његошева 5 “Б”', payerCity: '11000 Београд €', purpose: 'Плаћање 50 € — ЉУБАВ' }),
    );
    expect(f.payerName).toBe('Ljubica Đorđević - DŽELATOVIĆ');
    expect(f.payerStreet).toBe('Ulica Njegoševa 5 "B"');
    expect(f.payerCity).toBe('11000 Beograd EUR');
    expect(f.purpose).toBe('Plaćanje 50 EUR - LJUBAV');
    expect(Object.values(f).join('')).not.toContain('?');
  });

  it('drops accents ISO 8859-2 lacks (Ñ → N) and leaves out what has no Latin spelling (emoji)', () => {
    const f = parseUpnQr(upnQrPayload({ ...zbsExample, payerName: 'Peña 😀 Müller Ørsted' }));
    expect(f.payerName).toBe('Pena Müller Orsted');
  });

  it('refuses a zero, negative or too large amount, a missing required field, a bad IBAN, reference or purpose code', () => {
    expect(code(() => upnQrPayload({ ...zbsExample, amount: 0 }))).toBe('INPUT_INVALID');
    expect(code(() => upnQrPayload({ ...zbsExample, amount: -100 }))).toBe('INPUT_INVALID');
    expect(code(() => upnQrPayload({ ...zbsExample, amount: 100_000_000_000 }))).toBe('INPUT_INVALID');
    expect(code(() => upnQrPayload({ ...zbsExample, amount: 99_999_999_999 }))).toBe('OK');
    expect(code(() => upnQrPayload({ ...zbsExample, payerName: ' \t😀 ' }))).toBe('INPUT_INVALID');
    expect(code(() => upnQrPayload({ ...zbsExample, payeeIban: 'SI27020100012345678' }))).toBe('INPUT_INVALID');
    expect(code(() => upnQrPayload({ ...zbsExample, payeeReference: 'SI121234567890121' }))).toBe('INPUT_INVALID');
    expect(code(() => upnQrPayload({ ...zbsExample, purposeCode: 'rent' }))).toBe('INPUT_INVALID');
  });

  it('still prints an order stored before the SI12 fix with its old reference', () => {
    const legacy = `SI122611250042${mod97Check('2611250042')}`;
    const payload = upnQrPayload({ ...zbsExample, payeeReference: legacy });
    expect(parseUpnQr(payload).payeeReference).toBe(legacy);
    expect(upnViolations(payload, { legacyReference: true })).toEqual([]);
  });
});

const ipsBase: IpsQrInput = {
  account: '265000000001234526',
  payee: ['Obnova CA d.o.o.', '11000 Beograd'],
  amount: 480000,
  payer: ['Đorđe Šćepanović', 'Knez Mihailova 7', '11000 Beograd'],
  paymentCode: '221',
  purpose: 'Obnova sertifikata 2026-1234567890',
  reference: '9714123412',
};

describe('NBS IPS QR payload', () => {
  it('writes the tags in order with the NBS model-97 example reference and passes every rule', () => {
    const payload = ipsQrPayload(ipsBase);
    expect(payload).toBe('K:PR|V:01|C:1|R:265000000001234526|N:Obnova CA d.o.o.\n11000 Beograd|I:RSD4800,00|P:Đorđe Šćepanović\nKnez Mihailova 7\n11000 Beograd|SF:221|S:Obnova sertifikata 2026-1234567890|RO:9714123412');
    expect(ipsViolations(payload)).toEqual([]);
  });

  it('leaves out an optional tag with no value instead of writing |S:| or |P:|', () => {
    const payload = ipsQrPayload({ ...ipsBase, payer: ['  ', '😀'], purpose: ' \t ' });
    expect(payload).not.toMatch(/\|(P|S):(\||$)/);
    expect(payload).toBe('K:PR|V:01|C:1|R:265000000001234526|N:Obnova CA d.o.o.\n11000 Beograd|I:RSD4800,00|SF:221|RO:9714123412');
    expect(ipsViolations(payload)).toEqual([]);
  });

  it('keeps Serbian Cyrillic, removes | and \\ and characters NBS does not list, and cuts P to 70 with no blank at a cut', () => {
    const payload = ipsQrPayload({ ...ipsBase, payer: [`Ђорђе|Петровић\\ 😀 Ørsted ${'Дугачко Презиме '.repeat(5)}`, 'Кнез Михаилова 7', '11000 Београд'] });
    expect(ipsViolations(payload)).toEqual([]);
    const p = /\|P:([^|]*)\|/.exec(payload)![1]!;
    expect([...p].length).toBeLessThanOrEqual(70);
    expect(p.startsWith('Ђорђе Петровић Orsted Дугачко')).toBe(true);
  });

  it('refuses a bad account, a reference without a valid model-97 check, an amount of 0 or past RSD999999999999,99, a bad payment code', () => {
    expect(code(() => ipsQrPayload({ ...ipsBase, account: '265000000001234527' }))).toBe('INPUT_INVALID');
    expect(code(() => ipsQrPayload({ ...ipsBase, reference: '9715123412' }))).toBe('INPUT_INVALID');
    expect(code(() => ipsQrPayload({ ...ipsBase, reference: '97-14-123412' }))).toBe('INPUT_INVALID');
    expect(code(() => ipsQrPayload({ ...ipsBase, amount: 0 }))).toBe('INPUT_INVALID');
    expect(code(() => ipsQrPayload({ ...ipsBase, amount: 100_000_000_000_000 }))).toBe('INPUT_INVALID');
    expect(code(() => ipsQrPayload({ ...ipsBase, amount: 99_999_999_999_999 }))).toBe('OK');
    expect(code(() => ipsQrPayload({ ...ipsBase, paymentCode: '321' }))).toBe('INPUT_INVALID');
  });
});
