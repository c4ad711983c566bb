import { describe, expect, it } from 'vitest';
import { loadPolicy, parsePolicy, vatOf } from '../../../src-service/renewal/policy/load-policy.js';
import { type ObnovaError } from '../../../src-shared/contract/errors.js';

describe('market policy data', () => {
  it('loads si and rs with prices that add up', () => {
    const si = loadPolicy('si');
    const rs = loadPolicy('rs');
    expect([si.currency, si.vatBasisPoints, si.paymentQr, si.payee.referenceModel]).toEqual(['EUR', 2200, 'upn-qr', 'SI12']);
    expect([rs.currency, rs.vatBasisPoints, rs.paymentQr, rs.payee.referenceModel]).toEqual(['RSD', 2000, 'nbs-ips-qr', '97']);
    expect(rs.legalEntity).toMatchObject({ procedure: 'original-issuance', ownerOnly: true, allowedAfterExpiry: true });
    expect(rs.requirePersonalNumber).toBe(true);
  });

  it('rounds VAT half up in minor units', () => {
    expect(vatOf(5000, 2200)).toBe(1100);
    expect(vatOf(1, 2200)).toBe(0);
    expect(vatOf(3, 2200)).toBe(1);
  });

  it('refuses a price whose VAT does not add up', () => {
    const broken = { ...loadPolicy('si'), prices: { 'existing-media': { net: 5000, vat: 1000, gross: 6000 }, 'new-media': loadPolicy('si').prices['new-media'] } };
    let code = '';
    try {
      parsePolicy(broken, 'test');
    } catch (error) {
      code = (error as ObnovaError).code;
    }
    expect(code).toBe('CA_CONFIG_INVALID');
  });
});
