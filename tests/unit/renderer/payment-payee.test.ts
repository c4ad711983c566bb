/** The payee shown beside the QR is read from the payload the service built (its own builders here), so it says what the bank reads. */
import { describe, expect, it } from 'vitest';
import { ipsQrPayload } from '../../../src-service/renewal/invoice/ips-qr.js';
import { upnQrPayload } from '../../../src-service/renewal/invoice/upn-qr.js';
import { paymentPayee } from '../../../src-renderer/src/model/payment-payee.js';

const upn = upnQrPayload({
  payerName: 'Ana Novak',
  payerStreet: 'Trubarjeva 5',
  payerCity: '1000 Ljubljana',
  amount: 4990,
  purposeCode: 'GDSV',
  purpose: 'Obnova potrdila',
  due: new Date('2027-03-05T00:00:00Z'),
  payeeIban: 'SI56 0201 0000 1234 582',
  payeeReference: 'SI12 1234560',
  payeeName: 'Obnova CA d.o.o.',
  payeeStreet: 'Dunajska 1',
  payeeCity: '1000 Ljubljana',
});

describe('paymentPayee', () => {
  it('reads the payee and IBAN (in groups of four) from a UPN QR payload', () => {
    expect(paymentPayee('si', upn)).toEqual({ name: 'Obnova CA d.o.o.', account: 'SI56 0201 0000 1234 582', iban: true });
  });

  it('reads the payee and the domestic account (3-13-2) from an NBS IPS QR payload', () => {
    const ips = ipsQrPayload({ account: '160000000012345654', payee: ['Obnova CA doo', 'Beograd'], amount: 590000, paymentCode: '221', purpose: 'Obnova sertifikata', reference: '9776123456' });
    expect(paymentPayee('rs', ips)).toEqual({ name: 'Obnova CA doo', account: '160-0000000123456-54', iban: false });
  });

  it('gives nothing for a payload of the other market or a damaged one, rather than wrong words', () => {
    expect(paymentPayee('rs', upn)).toBeNull();
    expect(paymentPayee('si', 'K:PR|R:160000000012345678|N:X')).toBeNull();
    expect(paymentPayee('si', 'UPNQR\n\n')).toBeNull();
  });
});
