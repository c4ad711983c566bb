import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

  function refusal(change: (p: Record<string, unknown> & { payee: Record<string, unknown> }) => void, market: 'si' | 'rs' = 'si'): { code: string; message: string } {
    const raw = structuredClone(loadPolicy(market)) as unknown as Record<string, unknown> & { payee: Record<string, unknown> };
    change(raw);
    try {
      parsePolicy(raw, 'test.json');
    } catch (error) {
      return { code: (error as ObnovaError).code, message: (error as Error).message };
    }
    return { code: 'OK', message: '' };
  }

  it('ships payee accounts that pass every check: SI IBAN starting SI56, RS account with its control number', () => {
    expect(loadPolicy('si').payee.account).toMatch(/^SI56[0-9]{15}$/);
    expect(refusal(() => {}).code).toBe('OK');
    expect(refusal(() => {}, 'rs').code).toBe('OK');
  });

  it('refuses, at load, the old SI27020100012345678 (IBAN valid, national check digits wrong) with a coded error naming the rule', () => {
    const r = refusal((p) => (p.payee.account = 'SI27020100012345678'));
    expect(r.code).toBe('CA_PAYEE_ACCOUNT_INVALID');
    expect(r.message).toContain('test.json');
    expect(r.message).toContain('SI56');
  });

  it('refuses an IBAN with a wrong check and a Serbian account with a wrong control number', () => {
    expect(refusal((p) => (p.payee.account = 'SI56020100001234583')).code).toBe('CA_PAYEE_ACCOUNT_INVALID');
    expect(refusal((p) => (p.payee.account = '265000000001234527'), 'rs').code).toBe('CA_PAYEE_ACCOUNT_INVALID');
    expect(refusal((p) => (p.payee.account = 'SI56020100001234582'), 'rs').code).toBe('CA_PAYEE_ACCOUNT_INVALID');
  });

  it('refuses a purpose code or reference model of the other market', () => {
    expect(refusal((p) => (p.payee.purposeCode = '221')).code).toBe('CA_CONFIG_INVALID');
    expect(refusal((p) => (p.payee.purposeCode = 'GDSV'), 'rs').code).toBe('CA_CONFIG_INVALID');
    expect(refusal((p) => (p.payee.referenceModel = '97')).code).toBe('CA_CONFIG_INVALID');
  });

  it('does not start a service whose policy folder holds a wrong account', () => {
    const dir = mkdtempSync(join(tmpdir(), 'obnova-policy-'));
    try {
      writeFileSync(join(dir, 'si.json'), JSON.stringify({ ...loadPolicy('si'), payee: { ...loadPolicy('si').payee, account: 'SI27020100012345678' } }));
      expect(() => loadPolicy('si', dir)).toThrow(/national check digits/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
