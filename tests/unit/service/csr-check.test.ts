/** The request checks on the hot path: agree with asn1-schema, and hostile bytes only ever give coded refusals. */
import 'reflect-metadata';
import { CertificationRequest } from '@peculiar/asn1-csr';
import { AsnConvert } from '@peculiar/asn1-schema';
import { describe, expect, it } from 'vitest';
import { checkCsr } from '../../../src-service/ca/csr-check.js';
import { loadProfiles } from '../../../src-service/ca/profiles/load-profiles.js';
import { subjectAttributes } from '../../../src-service/ca/subject.js';
import { ObnovaError } from '../../../src-shared/contract/errors.js';
import { makeCsr } from '../../helpers/service/csr.js';

const profile = loadProfiles().get('qualified-natural-person')!;
const holder = { id: 'H', kind: 'natural', country: 'SI', givenName: 'Žiga', surname: 'Čeh', personalNumber: '0101990500123', email: null } as never;
const expected = subjectAttributes(holder);

describe('checkCsr', () => {
  it('reads the same key and subject as asn1-schema for RSA and EC requests', async () => {
    for (const type of ['RSA-2048', 'EC-P256', 'EC-P384'] as const) {
      const { der, pem } = await makeCsr(type, 'CN=Žiga Čeh, C=SI');
      const checked = await checkCsr(pem, profile, expected);
      const reference = AsnConvert.parse(der, CertificationRequest);
      expect(Buffer.from(checked.spki).equals(Buffer.from(AsnConvert.serialize(reference.certificationRequestInfo.subjectPKInfo)))).toBe(true);
      expect(Buffer.from(checked.subjectPublicKey).equals(Buffer.from(reference.certificationRequestInfo.subjectPKInfo.subjectPublicKey))).toBe(true);
      expect(checked.key.name).toBe(type.startsWith('RSA') ? 'RSA' : 'EC');
    }
  });

  it('refuses every truncation and byte flip with a CA_ code, never a crash', async () => {
    const { der } = await makeCsr('EC-P256', 'CN=Žiga Čeh');
    const codes = new Set<string>();
    const attempt = async (bytes: Uint8Array) => {
      try {
        await checkCsr(bytes, profile, expected);
        codes.add('ACCEPTED');
      } catch (error) {
        expect(error).toBeInstanceOf(ObnovaError);
        codes.add((error as ObnovaError).code);
      }
    };
    for (let n = 1; n < der.length; n += 3) await attempt(der.subarray(0, n));
    for (let i = 0; i < der.length; i++) {
      const copy = new Uint8Array(der);
      copy[i] = copy[i]! ^ 0xff;
      await attempt(copy);
    }
    expect(codes.has('ACCEPTED')).toBe(false);
    expect([...codes].every((c) => c.startsWith('CA_CSR_'))).toBe(true);
  });
});
