import { describe, expect, it } from 'vitest';
import { billingOf, billingProblems, emptyBillingForm } from '../../../src-renderer/src/model/renewal-billing.js';
import { paymentQrImage, paymentQrOf } from '../../../src-renderer/src/model/renewal-payment-qr.js';
import { preselect, renewableCertificates } from '../../../src-renderer/src/model/renewal-certificates.js';

describe('billing form', () => {
  it('names every missing or wrong field as the holder types, and builds the contract billing when all is well', () => {
    const form = emptyBillingForm('Ana Novak', 'SI', null);
    expect(billingProblems(form)).toEqual({ street: 'required', postalCode: 'required', city: 'required', email: 'required' });
    const filled = { ...form, street: 'Trubarjeva 5', postalCode: '1000', city: 'Ljubljana', email: 'ana@' };
    expect(billingProblems(filled)).toEqual({ email: 'email' });
    expect(billingOf({ ...filled, email: ' ana@example.si ', country: 'si' })).toEqual({
      billing: { name: 'Ana Novak', street: 'Trubarjeva 5', postalCode: '1000', city: 'Ljubljana', country: 'SI', vatId: null },
      email: 'ana@example.si',
    });
  });

  it('a company needs its VAT number; a person has none', () => {
    const base = { ...emptyBillingForm('Primer d.o.o.', 'SI', 'x@example.si'), street: 'A 1', postalCode: '1000', city: 'Ljubljana' };
    expect(billingProblems({ ...base, buyer: 'company' })).toEqual({ vatId: 'vatId' });
    expect(billingOf({ ...base, buyer: 'company', vatId: 'si 1234 5678' })?.billing.vatId).toBe('SI12345678');
    expect(billingOf({ ...base, vatId: 'SI12345678' })?.billing.vatId).toBeNull();
    expect(billingProblems({ ...base, city: 'x'.repeat(36) })).toEqual({ city: 'tooLong' });
  });
});

describe('payment QR in the window', () => {
  it('draws UPN QR at version 15 and IPS QR at the smallest version, both level M, as an SVG image', () => {
    expect(paymentQrOf('si', 'UPNQR Žiga Čeh')).toMatchObject({ version: 15, size: 77, level: 'M' });
    expect(paymentQrOf('rs', 'K:PR|N:Đorđe')).toMatchObject({ level: 'M' });
    expect(paymentQrOf('rs', 'K:PR|N:Đorđe').version).toBeLessThan(15);
    expect(decodeURIComponent(paymentQrImage('si', 'UPNQR'))).toMatch(/^data:image\/svg\+xml;charset=utf-8,<svg [^>]*viewBox="0 0 81 81"/);
  });

  it('refuses text ISO 8859-2 cannot carry instead of drawing a ? in its place', () => {
    expect(() => paymentQrOf('si', 'UPNQR Ђорђе')).toThrow(/not in ISO 8859-2/);
  });
});

describe('certificate choice', () => {
  it('offers holder certificates soonest to expire first and keeps a choice while it is still there', () => {
    const cert = (objectId: string, notAfter: string, ca = false) => ({ readable: true as const, objectId, notAfter, slotId: '1', fingerprintSha256: objectId.repeat(32).slice(0, 64), isCertificateAuthority: ca }) as never;
    const options = renewableCertificates([cert('02', '2030-01-01T00:00:00Z'), cert('01', '2027-01-01T00:00:00Z'), cert('ca', '2035-01-01T00:00:00Z', true)]);
    expect(options.map((o) => o.objectId)).toEqual(['01', '02']);
    expect(preselect(options, null)).toMatch(/^1:01:/);
    const second = preselect(options.slice(1), null)!;
    expect(preselect(options, second)).toBe(second);
  });
});
