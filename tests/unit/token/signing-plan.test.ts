import { createHash } from 'node:crypto';
import pkcs11js from 'pkcs11js';
import { describe, expect, it } from 'vitest';
import { ObnovaError } from '../../../src-shared/contract/errors.js';
import { defaultSignerAlgorithm } from '../../../src-main/token/card-signer.js';
import { mechanismNames, planSignature, signInput } from '../../../src-main/token/mechanisms.js';

const data = new TextEncoder().encode('to be signed');

describe('planSignature (chosen from C_GetMechanismList, never assumed)', () => {
  it('RSA: the hashing mechanism when offered, else CKM_RSA_PKCS over a DigestInfo', () => {
    expect(planSignature('RSASSA-PKCS1-v1_5-SHA256', new Set([pkcs11js.CKM_RSA_PKCS, pkcs11js.CKM_SHA256_RSA_PKCS])).mechanismName).toBe('CKM_SHA256_RSA_PKCS');
    const fallback = planSignature('RSASSA-PKCS1-v1_5-SHA256', new Set([pkcs11js.CKM_RSA_PKCS]));
    expect(fallback).toMatchObject({ mechanismName: 'CKM_RSA_PKCS', prehash: 'SHA-256', digestInfo: true });
    const input = signInput(fallback, data);
    // RFC 8017 §9.2: DER DigestInfo { sha256, NULL } || H.
    expect(input.subarray(0, 19).toString('hex')).toBe('3031300d060960864801650304020105000420');
    expect(input.subarray(19).equals(createHash('sha256').update(data).digest())).toBe(true);
    expect(signInput(planSignature('RSASSA-PKCS1-v1_5-SHA384', new Set([pkcs11js.CKM_RSA_PKCS])), data).length).toBe(19 + 48);
  });

  it('ECDSA: CKM_ECDSA over a hash made here, else the hashing ECDSA mechanism; DER conversion either way', () => {
    expect(planSignature('ECDSA-P256-SHA256', new Set([pkcs11js.CKM_ECDSA, pkcs11js.CKM_ECDSA_SHA256]))).toMatchObject({ mechanismName: 'CKM_ECDSA', prehash: 'SHA-256', ecdsa: true });
    expect(planSignature('ECDSA-P256-SHA256', new Set([pkcs11js.CKM_ECDSA_SHA256]))).toMatchObject({ mechanismName: 'CKM_ECDSA_SHA256', prehash: null, ecdsa: true });
    expect(signInput(planSignature('ECDSA-P256-SHA256', new Set([pkcs11js.CKM_ECDSA])), data).equals(createHash('sha256').update(data).digest())).toBe(true);
  });

  it('no suitable mechanism is TOKEN_MECHANISM_UNSUPPORTED', () => {
    expect(() => planSignature('ECDSA-P256-SHA256', new Set([pkcs11js.CKM_RSA_PKCS]))).toThrow(ObnovaError);
    try {
      planSignature('RSASSA-PKCS1-v1_5-SHA512', new Set([pkcs11js.CKM_ECDSA]));
    } catch (error) {
      expect((error as ObnovaError).code).toBe('TOKEN_MECHANISM_UNSUPPORTED');
    }
  });

  it('names mechanisms by their current names, vendor ones in hex', () => {
    expect(mechanismNames(new Set([pkcs11js.CKM_EC_KEY_PAIR_GEN, 0x80000001]))).toEqual(['CKM_EC_KEY_PAIR_GEN', 'CKM_0x80000001']);
  });
});

describe('defaultSignerAlgorithm', () => {
  it('follows the key: RSA → SHA-256 PKCS#1 v1.5, P-256 → ECDSA-SHA256, P-384 → ECDSA-SHA384, else PKI_ALGORITHM_UNSUPPORTED', () => {
    expect(defaultSignerAlgorithm({ name: 'RSA', curve: null })).toBe('RSASSA-PKCS1-v1_5-SHA256');
    expect(defaultSignerAlgorithm({ name: 'EC', curve: 'P-256' })).toBe('ECDSA-P256-SHA256');
    expect(defaultSignerAlgorithm({ name: 'EC', curve: 'P-384' })).toBe('ECDSA-P384-SHA384');
    expect(() => defaultSignerAlgorithm({ name: 'Ed25519', curve: null })).toThrow(ObnovaError);
  });
});
