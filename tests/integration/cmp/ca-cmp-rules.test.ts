/**
 * The CA's CMP rules (RFC 9483 §3.5, §4.1.3, §4.3.1) on messages built here, through the HTTP
 * route: a replayed kur (transactionIdInUse), certConf with another recipNonce or certHash, an
 * unprotected or stale request, bytes that are not CMP, genm for the CA certificates, and the
 * `open` policy issuing without an order. Every refusal is a protected CMP error, HTTP 200.
 */
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHolder, registerCard } from '../../../src-service/db/holders-repository.js';
import { unloadAllModules } from '../../../src-service/hsm/pkcs11-module.js';
import { CertConfirmContent, CertStatus, CmpCertificates, GenMsgContent, idItCaCerts, InfoTypeAndValue, PkiBody, PkiHeader, type PkiMessage } from '../../../src-shared/pki/cmp/cmp-asn1.js';
import { certificateHash, directoryName, nullName, parseCmpMessage, protectionVerifies, protectMessage, randomOctets } from '../../../src-shared/pki/cmp/cmp-message.js';
import { CertReqMessages, CertRequest, CertTemplate } from '../../../src-shared/pki/cmp/crmf-asn1.js';
import { signedCertReqMsg } from '../../../src-shared/pki/cmp/crmf-pop.js';
import { Certificate } from '../../../src-shared/pki/certificate.js';
import { toArrayBuffer } from '../../../src-shared/pki/encoding.js';
import { softwareSigner, type Signer } from '../../../src-shared/pki/signer.js';
import { renewalFixture, type RenewalFixture } from '../../helpers/renewal/renewal-fixture.js';
import { makeCsr } from '../../helpers/service/csr.js';
import { useSoftHsmEnv } from '../../helpers/service/softhsm-env.js';

const hsm = useSoftHsmEnv('obnova-cmp-rules-');
let f: RenewalFixture;
let certDer: Uint8Array;
let oldKey: Signer;

beforeAll(async () => {
  f = await renewalFixture({ db: 'sqlite', policy: (p) => ({ ...p, cmpKeyUpdate: 'open' }) });
  const holder = await createHolder(f.service.db, { kind: 'natural', country: 'SI', givenName: 'Ana', surname: 'Novak', personalNumber: '0101990500123', email: 'ana@example.si' }, 'test');
  const card = await registerCard(f.service.db, holder.id, 'TOKEN-RULES', 'card', 'test');
  const csr = await makeCsr('EC-P256');
  certDer = new Uint8Array((await f.service.issue({ csr: csr.der, holderId: holder.id, cardId: card.id, actor: 'test' })).record.der);
  oldKey = softwareSigner(csr.keys.privateKey, { certificate: await Certificate.fromDer(certDer) });
}, 90_000);
afterAll(async () => {
  await f?.close();
  unloadAllModules();
  hsm.cleanup();
});

function header(options: { transactionID?: OctetString; recipNonce?: OctetString; messageTime?: Date } = {}): PkiHeader {
  return new PkiHeader({
    sender: directoryName(certDer),
    recipient: nullName(),
    messageTime: options.messageTime ?? new Date(Math.floor(Date.now() / 1000) * 1000),
    transactionID: options.transactionID ?? randomOctets(),
    senderNonce: randomOctets(),
    recipNonce: options.recipNonce,
  });
}

let newKeys: webcrypto.CryptoKeyPair;
async function kurBody(): Promise<PkiBody> {
  newKeys ??= (await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const spki = AsnConvert.parse(await webcrypto.subtle.exportKey('spki', newKeys.publicKey), SubjectPublicKeyInfo);
  const msg = await signedCertReqMsg(new CertRequest({ certReqId: 0, certTemplate: new CertTemplate({ publicKey: spki }) }), softwareSigner(newKeys.privateKey));
  return new PkiBody({ kur: new CertReqMessages([msg]) });
}

async function post(der: Uint8Array, type = 'application/pkixcmp'): Promise<{ status: number; message: PkiMessage | null; contentType: string }> {
  const r = await f.app.inject({ method: 'POST', url: '/.well-known/cmp', payload: Buffer.from(der), headers: { 'content-type': type } });
  const contentType = String(r.headers['content-type'] ?? '');
  return { status: r.statusCode, contentType, message: contentType.startsWith('application/pkixcmp') ? parseCmpMessage(new Uint8Array(r.rawPayload)) : null };
}

function failInfo(message: PkiMessage | null): string[] {
  return message?.body.error?.pKIStatusInfo.failInfo?.names() ?? [];
}

describe('CMP rules at the CA', () => {
  it('issues by kur under the open policy, and a replay of the same kur bytes is transactionIdInUse', async () => {
    const kur = await protectMessage(header(), await kurBody(), oldKey, [certDer]);
    const first = await post(kur);
    expect(first.status).toBe(200);
    expect(first.message?.body.kup?.response[0]?.status.status).toBe(0);
    expect(await protectionVerifies(first.message!, f.service.authority.issuing.der)).toBe(true);
    const replay = await post(kur);
    expect(replay.status).toBe(200);
    expect(failInfo(replay.message)).toEqual(['transactionIdInUse']);
    expect(await protectionVerifies(replay.message!, f.service.authority.issuing.der)).toBe(true);
  });

  it('certConf must carry our senderNonce (badRecipientNonce) and the certificate\'s hash (badCertId); then pkiConf', async () => {
    const tid = randomOctets();
    const kup = (await post(await protectMessage(header({ transactionID: tid }), await kurBody(), oldKey, [certDer]))).message!;
    const cert = new Uint8Array(AsnConvert.serialize(kup.body.kup!.response[0]!.certifiedKeyPair!.certOrEncCert.certificate!));
    const conf = async (hash: Uint8Array, recipNonce: OctetString) =>
      post(await protectMessage(header({ transactionID: tid, recipNonce }), new PkiBody({ certConf: new CertConfirmContent([new CertStatus({ certHash: new OctetString(toArrayBuffer(hash)), certReqId: toArrayBuffer(Uint8Array.of(0)) })]) }), oldKey, [certDer]));
    expect(failInfo((await conf(await certificateHash(cert), randomOctets())).message)).toEqual(['badRecipientNonce']);
    expect(failInfo((await conf(new Uint8Array(32), kup.header.senderNonce!)).message)).toEqual(['badCertId']);
    expect((await conf(await certificateHash(cert), kup.header.senderNonce!)).message?.body.pkiconf).toBeNull();
  });

  it('refuses an unprotected kur (badMessageCheck) and one an hour old (badTime)', async () => {
    const body = await kurBody();
    const unprotected = new Uint8Array(AsnConvert.serialize(Object.assign(parseCmpMessage(await protectMessage(header(), body, oldKey, [certDer])), { protection: undefined, headerRaw: undefined, bodyRaw: undefined })));
    expect(failInfo((await post(unprotected)).message)).toEqual(['badMessageCheck']);
    const stale = await protectMessage(header({ messageTime: new Date(Date.now() - 3_600_000) }), body, oldKey, [certDer]);
    expect(failInfo((await post(stale)).message)).toEqual(['badTime']);
  });

  it('answers bytes that are not CMP with badDataFormat, and another media type with HTTP 415', async () => {
    const junk = await post(Uint8Array.of(1, 2, 3));
    expect(junk.status).toBe(200);
    expect(failInfo(junk.message)).toEqual(['badDataFormat']);
    expect(junk.message?.body.error?.pKIStatusInfo.statusString?.[0]).toBe('CMP_MESSAGE_INVALID');
    expect((await post(Uint8Array.of(0x41), 'text/plain')).status).toBe(415);
  });

  it('answers genm id-it-caCerts with the issuing and root certificates', async () => {
    const genm = await protectMessage(header(), new PkiBody({ genm: new GenMsgContent([new InfoTypeAndValue({ infoType: idItCaCerts })]) }), oldKey, [certDer]);
    const genp = (await post(genm)).message!;
    const value = genp.body.genp![0]!;
    expect(value.infoType).toBe(idItCaCerts);
    const certs = AsnConvert.parse(value.infoValue!, CmpCertificates).map((c) => Buffer.from(AsnConvert.serialize(c)).toString('hex'));
    expect(certs).toEqual([f.service.authority.issuing.der, f.service.authority.root.der].map((d) => Buffer.from(d).toString('hex')));
  });
});
