/**
 * Check digits against the specifications' own worked examples: ZBS UPN QR programmer's guide
 * (SI12 1234567890120, IBAN SI56 0201 7001 4356 205), NBS Odluka Prilog 1 (model 97: 9714123412)
 * and the NBS IPS QR recommendations' account examples (840-955845-10, 165-55-74, 310-1234567891211-86).
 */
import { describe, expect, it } from 'vitest';
import {
  isLegacySi12,
  isValidModel97,
  isValidSi12,
  mod11Check,
  mod97Check,
  model97Reference,
  normalizeReference,
  si12Reference,
} from '../../../src-service/renewal/invoice/payment-reference.js';
import { isValidIban, isValidSerbianAccount, isValidSlovenianBban } from '../../../src-service/renewal/policy/payee-account.js';

describe('SI12 reference (one mod-11 check digit)', () => {
  it('accepts the ZBS guide example SI12 1234567890120 and builds it from its base', () => {
    expect(isValidSi12('SI12 1234567890120')).toBe(true);
    expect(mod11Check('123456789012')).toBe('0');
    expect(si12Reference('123456789012')).toBe('SI121234567890120');
  });

  it('weights 2, 3, 4… from the right; 11 − (sum mod 11), with 10 and 11 giving 0', () => {
    // Sums worked by hand: "1" → 2 → K 9; "5" → 10 → K 1; "0" → 0 → 11 → 0; "6" → 12 ≡ 1 → 10 → 0; "12" → 1·3 + 2·2 = 7 → K 4.
    expect(['1', '5', '0', '6', '12'].map(mod11Check)).toEqual(['9', '1', '0', '0', '4']);
  });

  it('refuses a wrong check digit, a second digit the old code appended, letters and over-long numbers', () => {
    expect(isValidSi12('SI121234567890121')).toBe(false);
    expect(isValidSi12(`SI12${'1234567890'}${mod97Check('1234567890')}`)).toBe(false);
    expect(isValidSi12('SI1212345A')).toBe(false);
    expect(isValidSi12(`SI12${'1'.repeat(22)}${mod11Check('1'.repeat(22))}`)).toBe(false);
    expect(() => si12Reference('1'.repeat(22))).toThrow();
  });

  it('recognises an order reference made before the fix (ten digits + two MOD 97-10 digits), which stays stored and matched', () => {
    const old = `SI12${'2611250042'}${mod97Check('2611250042')}`;
    expect(isLegacySi12(old)).toBe(true);
    expect(isLegacySi12(si12Reference('2611250042'))).toBe(false);
    expect(normalizeReference('si12 2611-2500-42 ' + old.slice(14))).toBe(old);
  });
});

describe('model 97 reference (ISO 7064 MOD 97-10, check digits first)', () => {
  it('matches the NBS example 9714123412 (model 97, control 14, number 123412)', () => {
    expect(model97Reference('123412')).toBe('9714123412');
    expect(isValidModel97('14123412')).toBe(true);
    expect(isValidModel97('15123412')).toBe(false);
  });
});

describe('payee accounts', () => {
  it('accepts the ZBS guide IBAN SI56 0201 7001 4356 205 by both the IBAN and the Slovenian national check', () => {
    expect(isValidIban('SI56 0201 7001 4356 205')).toBe(true);
    expect(isValidSlovenianBban('020170014356205')).toBe(true);
  });

  it('refuses SI27020100012345678: a valid IBAN whose BBAN fails the national check', () => {
    expect(isValidIban('SI27020100012345678')).toBe(true);
    expect(isValidSlovenianBban('020100012345678')).toBe(false);
  });

  it('refuses an IBAN with a changed digit, a wrong length for SI, or lower-case letters', () => {
    expect(isValidIban('SI56020170014356206')).toBe(false);
    expect(isValidIban('SI5602017001435620')).toBe(false);
    expect(isValidIban('si56020170014356205')).toBe(false);
  });

  it('accepts the NBS account examples written as 18 digits and refuses a changed control number', () => {
    for (const a of ['840000000095584510', '165000000000005574', '310123456789121186']) expect(isValidSerbianAccount(a), a).toBe(true);
    expect(isValidSerbianAccount('840000000095584511')).toBe(false);
    expect(isValidSerbianAccount('84000000009558451')).toBe(false);
  });
});
