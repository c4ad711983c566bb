/**
 * What OpenSC 0.23 offers for an IsoApplet card (C_GetMechanismList as `pkcs11-tool -M` prints it on the
 * OpenSC world): RSA with hashing mechanisms, but EC only as CKM_ECDSA_SHA1 (hashed with SHA-1 on the card,
 * no raw CKM_ECDSA to sign a hash made here). SHA-1 is not acceptable for a qualified signature (ETSI TS 119
 * 312), so an EC holder on such a card is refused with TOKEN_MECHANISM_UNSUPPORTED before the card signs
 * anything; RSA holders sign with CKM_SHA256_RSA_PKCS.
 */
import pkcs11js from 'pkcs11js';
import { describe, expect, it } from 'vitest';
import { planSignature } from '../../../src-main/token/mechanisms.js';

const openscIsoApplet = new Set([
  pkcs11js.CKM_SHA_1, pkcs11js.CKM_SHA224, pkcs11js.CKM_SHA256, pkcs11js.CKM_SHA384, pkcs11js.CKM_SHA512, pkcs11js.CKM_MD5, pkcs11js.CKM_RIPEMD160,
  pkcs11js.CKM_ECDSA_SHA1, pkcs11js.CKM_EC_KEY_PAIR_GEN,
  pkcs11js.CKM_RSA_PKCS, pkcs11js.CKM_SHA1_RSA_PKCS, pkcs11js.CKM_SHA224_RSA_PKCS, pkcs11js.CKM_SHA256_RSA_PKCS, pkcs11js.CKM_SHA384_RSA_PKCS,
  pkcs11js.CKM_SHA512_RSA_PKCS, pkcs11js.CKM_MD5_RSA_PKCS, pkcs11js.CKM_RIPEMD160_RSA_PKCS, pkcs11js.CKM_RSA_PKCS_KEY_PAIR_GEN,
]);

describe('signing plans on OpenSC 0.23 with an IsoApplet card', () => {
  it('RSA signs with CKM_SHA256_RSA_PKCS (hashed by the middleware, padded on the card)', () => {
    expect(planSignature('RSASSA-PKCS1-v1_5-SHA256', openscIsoApplet)).toMatchObject({ mechanismName: 'CKM_SHA256_RSA_PKCS', prehash: null });
  });

  it('ECDSA with SHA-256 or SHA-384 is refused: only ECDSA-SHA1 is offered, never used in its place', () => {
    for (const algorithm of ['ECDSA-P256-SHA256', 'ECDSA-P384-SHA384'] as const) {
      expect(() => planSignature(algorithm, openscIsoApplet)).toThrow(expect.objectContaining({ code: 'TOKEN_MECHANISM_UNSUPPORTED', details: { algorithm } }));
    }
  });

  it('with raw CKM_ECDSA (other cards) the hash is made here and the card signs it: acceptable', () => {
    expect(planSignature('ECDSA-P256-SHA256', new Set([...openscIsoApplet, pkcs11js.CKM_ECDSA]))).toMatchObject({ mechanismName: 'CKM_ECDSA', prehash: 'SHA-256' });
  });
});
