import 'reflect-metadata';
import { ContentInfo, id_data, id_envelopedData } from '@peculiar/asn1-cms';
import { AsnConvert } from '@peculiar/asn1-schema';
import * as asn1js from 'asn1js';
import { beforeAll, describe, expect, it } from 'vitest';
import { signCms } from '../../../src-shared/pki/cms-sign.js';
import { verifyCms } from '../../../src-shared/pki/cms-verify.js';
import { softwareSigner } from '../../../src-shared/pki/signer.js';
import { createTestPki, type TestPki } from '../../helpers/pki/pki-factory.js';
import { codeOf } from '../../helpers/error-code.js';

let pki: TestPki;
let good: Uint8Array;
const content = new TextEncoder().encode('order');

beforeAll(async () => {
  pki = await createTestPki();
  good = await signCms(content, softwareSigner(pki.person.keys.privateKey, { certificate: pki.person.certificate }));
});

describe('CMS verification of untrusted input', () => {
  it('refuses a 50 MB blob before parsing it', async () => {
    const blob = new Uint8Array(50 * 1024 * 1024);
    blob[0] = 0x30;
    expect(await codeOf(verifyCms(blob))).toBe('PKI_INPUT_TOO_LARGE');
  });

  it('turns every truncation of a valid CMS into a code, never a crash', async () => {
    const codes = new Set<string>();
    for (let len = 0; len < good.length; len += 7) codes.add(await codeOf(verifyCms(good.subarray(0, len))));
    expect([...codes].every((c) => ['CMS_PARSE_FAILED'].includes(c))).toBe(true);
  });

  it('reports random bytes and an empty input as CMS_PARSE_FAILED', async () => {
    const noise = globalThis.crypto.getRandomValues(new Uint8Array(4096));
    noise[0] = 0x30;
    expect(await codeOf(verifyCms(noise))).toBe('CMS_PARSE_FAILED');
    expect(await codeOf(verifyCms(new Uint8Array(0)))).toBe('CMS_PARSE_FAILED');
  });

  it('reports a ContentInfo of another type as CMS_NOT_SIGNED_DATA', async () => {
    for (const contentType of [id_data, id_envelopedData, '1.2.3.4']) {
      const der = new Uint8Array(AsnConvert.serialize(new ContentInfo({ contentType, content: new asn1js.OctetString({ valueHex: new Uint8Array([1, 2, 3]) }).toBER() })));
      expect(await codeOf(verifyCms(der))).toBe('CMS_NOT_SIGNED_DATA');
    }
  });

  it('reports a wrong digest algorithm OID as PKI_ALGORITHM_UNSUPPORTED', async () => {
    // sha256 OID 2.16.840.1.101.3.4.2.1 → ...2.9 (not a digest we know), in the SignerInfo's digestAlgorithm.
    const bytes = good.slice();
    const oid = [0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01];
    let last = -1;
    for (let i = 0; i < bytes.length - oid.length; i++) if (oid.every((b, j) => bytes[i + j] === b)) last = i;
    expect(last).toBeGreaterThan(0);
    bytes[last + oid.length - 1] = 0x09;
    expect(await codeOf(verifyCms(bytes))).toBe('PKI_ALGORITHM_UNSUPPORTED');
  });

  it('reports a detached CMS without content as CMS_CONTENT_MISSING, and verifies it with the content', async () => {
    const detached = await signCms(content, softwareSigner(pki.person.keys.privateKey, { certificate: pki.person.certificate }), { detached: true });
    expect(await codeOf(verifyCms(detached))).toBe('CMS_CONTENT_MISSING');
    expect((await verifyCms(detached, { detachedContent: content })).content).toEqual(content);
    expect(await codeOf(verifyCms(detached, { detachedContent: new TextEncoder().encode('other') }))).toBe('CMS_DIGEST_MISMATCH');
  });

  it('requires a signer certificate to sign', async () => {
    expect(await codeOf(signCms(content, softwareSigner(pki.person.keys.privateKey)))).toBe('CMS_SIGNER_CERT_MISSING');
  });

  it('wraps a failing signer as PKI_SIGNER_FAILED', async () => {
    const signer = { algorithm: 'ECDSA-P256-SHA256' as const, certificate: pki.person.certificate, sign: () => Promise.reject(new Error('card removed')) };
    expect(await codeOf(signCms(content, signer))).toBe('PKI_SIGNER_FAILED');
  });
});

describe('CMS signer key usage', () => {
  it('refuses a signer whose certificate allows only key encipherment', async () => {
    const { issue } = await import('../../helpers/pki/pki-factory.js');
    const { KeyUsageFlags } = await import('@peculiar/x509');
    const enc = await issue({ subject: 'CN=Encryption Only,C=SI', issuer: pki.issuing, keyUsage: KeyUsageFlags.keyAgreement });
    const der = await signCms(content, softwareSigner(enc.keys.privateKey, { certificate: enc.certificate }));
    expect(await codeOf(verifyCms(der))).toBe('CERT_KEY_USAGE_INVALID');
  });
});
