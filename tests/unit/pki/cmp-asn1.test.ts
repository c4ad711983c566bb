/**
 * The CMP/CRMF schema against OpenSSL: a kur and its kup made by `openssl cmp` (client and mock
 * server, OpenSSL's own code) parse into the fields RFC 4210/4211 give them and re-encode byte
 * for byte; the messages we build parse with `openssl asn1parse`, and the POP and protection
 * we sign verify (and fail when a byte changes).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { webcrypto } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PkiBody, PkiFailureInfo, PkiHeader, PkiMessage } from '../../../src-shared/pki/cmp/cmp-asn1.js';
import { nullName, parseCmpMessage, protectMessage, protectionVerifies, randomOctets } from '../../../src-shared/pki/cmp/cmp-message.js';
import { CertId, CertReqMessages, CertRequest, CertTemplate, idRegCtrlOldCertId } from '../../../src-shared/pki/cmp/crmf-asn1.js';
import { popVerifies, signedCertReqMsg } from '../../../src-shared/pki/cmp/crmf-pop.js';
import { fromPem } from '../../../src-shared/pki/pem.js';
import { softwareSigner } from '../../../src-shared/pki/signer.js';
import { createTestCa } from '../../helpers/test-ca.js';
import { runToolAsync, tool } from '../../helpers/service/openssl.js';
import { startOpensslMockCa } from '../../helpers/cmp/openssl-cmp.js';

const work = mkdtempSync(join(tmpdir(), 'obnova-cmp-asn1-'));
let kur: Uint8Array;
let kup: Uint8Array;

beforeAll(async () => {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  const at = (name: string) => join(work, name);
  tool('openssl', ['req', '-x509', ...ec, '-keyout', at('ca.key'), '-out', at('ca.pem'), '-subj', '/CN=Test CA', '-days', '30']);
  tool('openssl', ['req', ...ec, '-keyout', at('old.key'), '-out', at('old.csr'), '-subj', '/CN=Holder']);
  tool('openssl', ['x509', '-req', '-in', at('old.csr'), '-CA', at('ca.pem'), '-CAkey', at('ca.key'), '-set_serial', '4660', '-days', '10', '-out', at('old.pem')]);
  tool('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', at('new.key')]);
  tool('openssl', ['req', '-new', '-key', at('new.key'), '-subj', '/CN=Holder', '-out', at('new.csr')]);
  // The 3.0 mock answers "wrong certid" unless its -rsp_cert carries the old certificate's issuer and serial.
  tool('openssl', ['x509', '-req', '-in', at('new.csr'), '-CA', at('ca.pem'), '-CAkey', at('ca.key'), '-set_serial', '4660', '-days', '10', '-out', at('new.pem')]);
  const mock = await startOpensslMockCa({ srvCert: at('ca.pem'), srvKey: at('ca.key'), rspCert: at('new.pem'), trusted: at('ca.pem') });
  try {
    const client = ['cmp', '-cmd', 'kur', '-server', mock.server, '-cert', at('old.pem'), '-key', at('old.key'), '-newkey', at('new.key'), '-srvcert', at('ca.pem'), '-ignore_keyusage'];
    await runToolAsync('openssl', [...client, '-certout', at('got.pem'), '-reqout', at('kur.der'), '-rspout', at('kup.der'), '-disable_confirm']);
  } finally {
    mock.stop();
  }
  kur = new Uint8Array(readFileSync(at('kur.der')));
  kup = new Uint8Array(readFileSync(at('kup.der')));
}, 60_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

function pemFile(name: string): Uint8Array {
  return fromPem(readFileSync(join(work, name), 'utf8'), 'CERTIFICATE');
}

describe('CMP and CRMF ASN.1 against openssl cmp', () => {
  it('reads openssl\'s kur: header, CertTemplate, oldCertID control, signature POP, extraCerts; re-encodes it byte for byte', async () => {
    const message = parseCmpMessage(kur);
    expect(message.header.pvno).toBe(2);
    expect(message.header.transactionID?.byteLength).toBe(16);
    expect(message.header.senderNonce?.byteLength).toBe(16);
    const request = message.body.kur![0]!;
    expect(request.certReq.certReqId).toBe(0);
    const control = request.certReq.controls!.find((c) => c.type === idRegCtrlOldCertId)!;
    expect(Buffer.from(AsnConvert.parse(control.value, CertId).serialNumber).toString('hex')).toBe('1234');
    const newKey = fromPem(tool('openssl', ['pkey', '-in', join(work, 'new.key'), '-pubout']), 'PUBLIC KEY');
    expect(Buffer.from(AsnConvert.serialize(request.certReq.certTemplate.publicKey!)).equals(Buffer.from(newKey))).toBe(true);
    expect(await popVerifies(request)).toBe(true);
    expect(await protectionVerifies(message, pemFile('old.pem'))).toBe(true);
    expect(Buffer.from(AsnConvert.serialize(message)).equals(Buffer.from(kur))).toBe(true);
  });

  it('a changed byte in certReq breaks the POP, and a changed header breaks the protection', async () => {
    const message = parseCmpMessage(kur);
    const request = message.body.kur![0]!;
    const raw = new Uint8Array(request.certReqRaw!);
    raw[raw.length - 1] = raw[raw.length - 1]! ^ 0x01;
    request.certReqRaw = raw.buffer;
    expect(await popVerifies(request)).toBe(false);
    const copy = new Uint8Array(kur);
    const transactionId = Buffer.from(message.header.transactionID!.buffer);
    const at = Buffer.from(kur).indexOf(transactionId) + 3;
    copy[at] = copy[at]! ^ 0x01;
    const oldDer = pemFile('old.pem');
    expect(await protectionVerifies(parseCmpMessage(copy), oldDer)).toBe(false);
  });

  it('reads the mock CA\'s kup: status accepted and the certificate it was told to return', async () => {
    const message = parseCmpMessage(kup);
    const response = message.body.kup!.response[0]!;
    expect(response.status.status).toBe(0);
    const cert = AsnConvert.serialize(response.certifiedKeyPair!.certOrEncCert.certificate!);
    expect(Buffer.from(cert).equals(Buffer.from(pemFile('new.pem')))).toBe(true);
  });

  it('builds a kur that openssl asn1parse reads, with a POP and a protection that verify', async () => {
    const ca = await createTestCa();
    const newKeys = (await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
    const spki = AsnConvert.parse(await webcrypto.subtle.exportKey('spki', newKeys.publicKey), SubjectPublicKeyInfo);
    const certReq = new CertRequest({ certReqId: 0, certTemplate: new CertTemplate({ publicKey: spki }) });
    const msg = await signedCertReqMsg(certReq, softwareSigner(newKeys.privateKey));
    const header = new PkiHeader({ sender: nullName(), recipient: nullName(), transactionID: randomOctets(), senderNonce: randomOctets() });
    const der = await protectMessage(header, new PkiBody({ kur: new CertReqMessages([msg]) }), softwareSigner(ca.keys.privateKey), [ca.der]);
    writeFileSync(join(work, 'ours.der'), der);
    const parsed = tool('openssl', ['asn1parse', '-inform', 'DER', '-in', join(work, 'ours.der')]);
    expect(parsed).toMatch(/cont \[ 7 \]/);
    expect(parsed).toMatch(/id-ecPublicKey/);
    const back = parseCmpMessage(der);
    expect(await popVerifies(back.body.kur![0]!)).toBe(true);
    expect(await protectionVerifies(back, ca.der)).toBe(true);
  });

  it('encodes PKIFailureInfo as a DER named-bit BIT STRING', () => {
    const info = PkiFailureInfo.of('badPOP');
    expect(info.names()).toEqual(['badPOP']);
    expect(Buffer.from(AsnConvert.serialize(info)).toString('hex')).toBe('0303060040');
    expect(AsnConvert.parse(AsnConvert.serialize(PkiFailureInfo.of('certRevoked', 'badAlg')), PkiFailureInfo).names()).toEqual(['badAlg', 'certRevoked']);
  });

  it('refuses bytes that are not a PKIMessage (CMP_MESSAGE_INVALID)', () => {
    expect(() => parseCmpMessage(Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x02))).toThrow(expect.objectContaining({ code: 'CMP_MESSAGE_INVALID' }));
    expect(() => parseCmpMessage(new Uint8Array(0))).toThrow(expect.objectContaining({ code: 'CMP_MESSAGE_INVALID' }));
    expect(PkiMessage).toBeDefined();
  });
});
