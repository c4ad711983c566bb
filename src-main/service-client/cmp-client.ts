/**
 * The app's CMP client for a key update (RFC 9483 §4.1.3): a kur protected by the old key on the
 * card, the CRMF request's POP signed by the new key on the card, and certConf protected by the
 * old key again (§4.1.1). Every answer is checked before anything of it is used: same
 * transactionID, recipNonce = our senderNonce, signature protection by the CA that issued the old
 * certificate (or a certificate that CA issued), a certificate for exactly our new key, signed by
 * that CA. A refusal becomes an ObnovaError: the CA's own code when it is one of ours, else CMP_REFUSED.
 */
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { Certificate as AsnCertificate, GeneralName, SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import { errorCodeSchema, ObnovaError } from '../../src-shared/contract/errors.js';
import { CertConfirmContent, CertStatus, PkiBody, PkiHeader, PkiStatus, PkiStatusInfo, type PkiMessage } from '../../src-shared/pki/cmp/cmp-asn1.js';
import { bodyType, certificateHash, cmpContentType, derSequence, directoryName, octets, parseCmpMessage, protectionCertificate, protectionVerifies, protectMessage, randomOctets } from '../../src-shared/pki/cmp/cmp-message.js';
import { CertId, CertReqMessages, CertRequest, CertTemplate, Controls, CrmfAttribute, idRegCtrlOldCertId, type CertReqMsg } from '../../src-shared/pki/cmp/crmf-asn1.js';
import { signedCertReqMsg } from '../../src-shared/pki/cmp/crmf-pop.js';
import { Certificate } from '../../src-shared/pki/certificate.js';
import { bytesEqual, fromHex, toArrayBuffer, toHex } from '../../src-shared/pki/encoding.js';
import type { Signer } from '../../src-shared/pki/signer.js';
import { type CallOptions, createHttpCaller, type HttpCallerOptions } from './http-call.js';

export interface KeyUpdateInput {
  /** The certificate being renewed and its issuer chain (issuing CA first) as the card or trust store has it. */
  oldCertificate: Certificate;
  chain: Uint8Array[];
  /** The old key on the card: signs the protection of kur and certConf. */
  oldKey: Signer;
  /** The new key's SubjectPublicKeyInfo and its signer on the card (the POP). */
  newSpki: Uint8Array;
  newKey: Signer;
}

/** What a kup gave, as the journal keeps it: enough to confirm after a restart. */
export interface KeyUpdateAnswer {
  certificate: Uint8Array;
  /** The CA certificates the answer carried (extraCerts after the protection certificate, de-duplicated). */
  chain: Uint8Array[];
  transactionId: string;
  /** The CA's senderNonce: certConf's recipNonce. */
  serverNonce: string;
}

export interface CmpClient {
  /** A signed CertReqMsg for the new key (the POP is made here, once; the journal keeps its DER). */
  certRequest(input: KeyUpdateInput): Promise<Uint8Array>;
  /** Sends a kur with that request in a fresh transaction and checks the kup. */
  keyUpdate(input: KeyUpdateInput, certReqMsg: Uint8Array, options?: CallOptions): Promise<KeyUpdateAnswer>;
  /** certConf for the certificate received; checks the pkiConf. */
  confirm(input: KeyUpdateInput, answer: KeyUpdateAnswer, options?: CallOptions): Promise<void>;
}

/** `url`: the CMP endpoint (…/.well-known/cmp, or a CMP server's path). */
export function createCmpClient(options: Omit<HttpCallerOptions, 'baseUrl'> & { url: string }): CmpClient {
  const call = createHttpCaller({ ...options, baseUrl: options.url });

  async function exchange(operation: string, request: Uint8Array, call_: CallOptions | undefined): Promise<PkiMessage> {
    const answer = await call({ operation, method: 'POST', path: '', headers: { 'content-type': cmpContentType, accept: cmpContentType }, body: request, maxBytes: 256 * 1024 }, call_);
    return parseCmpMessage(answer.body);
  }

  function header(input: KeyUpdateInput, transactionId: OctetString, recipNonce?: OctetString): { header: PkiHeader; senderNonce: OctetString } {
    const old = AsnConvert.parse(input.oldCertificate.der, AsnCertificate).tbsCertificate;
    const senderNonce = randomOctets();
    const ski = input.oldCertificate.subjectKeyIdentifier;
    return {
      senderNonce,
      header: new PkiHeader({
        pvno: 2,
        sender: directoryName(input.oldCertificate.der),
        recipient: new GeneralName({ directoryName: old.issuer }),
        messageTime: new Date(Math.floor(Date.now() / 1000) * 1000),
        senderKID: ski ? new OctetString(toArrayBuffer(fromHex(ski))) : undefined,
        transactionID: transactionId,
        senderNonce,
        recipNonce,
      }),
    };
  }

  /** The CA that issued the old certificate, from the answer's extraCerts or the chain we know. */
  async function issuerOf(input: KeyUpdateInput, message: PkiMessage): Promise<Certificate> {
    const candidates = [...(message.extraCerts ?? []).map((c) => new Uint8Array(AsnConvert.serialize(c))), ...input.chain];
    for (const der of candidates) {
      const cert = await Certificate.fromDer(der).catch(() => null);
      if (cert && cert.subjectNameHex === input.oldCertificate.issuerNameHex && (await input.oldCertificate.isSignedBy(cert))) return cert;
    }
    throw new ObnovaError('CMP_PROTECTION_INVALID', 'the answer names no certificate of the CA that issued the card\'s certificate');
  }

  /** Transaction, nonce and protection of an answer; returns the CA certificate that vouches for it. */
  async function checkAnswer(input: KeyUpdateInput, message: PkiMessage, transactionId: OctetString, senderNonce: OctetString): Promise<Certificate> {
    if (!bytesEqual(octets(message.header.transactionID) ?? new Uint8Array(0), new Uint8Array(transactionId.buffer))) {
      throw new ObnovaError('CMP_RESPONSE_MISMATCH', 'the answer carries another transactionID');
    }
    const refusal = refusalOf(message);
    const recip = octets(message.header.recipNonce);
    if (!recip || !bytesEqual(recip, new Uint8Array(senderNonce.buffer))) {
      // An error to a request the CA could not read may not echo our nonce: still a refusal, never a success.
      if (refusal) throw refusal;
      throw new ObnovaError('CMP_RESPONSE_MISMATCH', 'the answer\'s recipNonce is not our senderNonce');
    }
    const issuer = await issuerOf(input, message);
    // RFC 9483 §3.3 wants the protection certificate first in extraCerts; OpenSSL 3.0's mock sends none, and
    // RFC 4210 §5.1.1 then lets the sender name point at a certificate the recipient has: the issuing CA's.
    const protector = protectionCertificate(message) ?? (sameName(message, issuer) ? issuer.der : null);
    const vouched = protector && (bytesEqual(protector, issuer.der) || (await (await Certificate.fromDer(protector)).isSignedBy(issuer)));
    if (!protector || !vouched || !(await protectionVerifies(message, protector))) {
      if (refusal) throw refusal;
      throw new ObnovaError('CMP_PROTECTION_INVALID', 'the answer is not signed by the certificate authority that issued the card\'s certificate');
    }
    if (refusal) throw refusal;
    return issuer;
  }

  return {
    async certRequest(input) {
      const old = AsnConvert.parse(input.oldCertificate.der, AsnCertificate).tbsCertificate;
      const oldCertId = new CertId({ issuer: new GeneralName({ directoryName: old.issuer }), serialNumber: old.serialNumber });
      const certReq = new CertRequest({
        certReqId: 0,
        certTemplate: new CertTemplate({ subject: old.subject, publicKey: AsnConvert.parse(input.newSpki, SubjectPublicKeyInfo) }),
        controls: new Controls([new CrmfAttribute({ type: idRegCtrlOldCertId, value: AsnConvert.serialize(oldCertId) })]),
      });
      const message: CertReqMsg = await signedCertReqMsg(certReq, input.newKey);
      return new Uint8Array(AsnConvert.serialize(message));
    },

    async keyUpdate(input, certReqMsg, callOptions) {
      const transactionId = randomOctets();
      const { header: h, senderNonce } = header(input, transactionId);
      const body = new PkiBody({ kur: AsnConvert.parse(derSequence(certReqMsg), CertReqMessages) });
      const request = await protectMessage(h, body, input.oldKey, [input.oldCertificate.der, ...input.chain]);
      const answer = await exchange('cmp.kur', request, callOptions);
      const issuer = await checkAnswer(input, answer, transactionId, senderNonce);
      const response = answer.body.kup?.response[0];
      const cert = response?.certifiedKeyPair?.certOrEncCert.certificate;
      if (bodyType(answer.body) !== 'kup' || !response || !cert) throw new ObnovaError('CMP_MESSAGE_INVALID', `expected a kup with a certificate, got ${bodyType(answer.body)}`);
      if (response.status.status !== PkiStatus.accepted && response.status.status !== PkiStatus.grantedWithMods) throw refusalFrom(response.status);
      const der = new Uint8Array(AsnConvert.serialize(cert));
      const issued = await Certificate.fromDer(der);
      if (!bytesEqual(issued.subjectPublicKeyInfo, input.newSpki)) throw new ObnovaError('CMP_RESPONSE_MISMATCH', 'the certificate received is not for the new key');
      if (!(await issued.isSignedBy(issuer))) throw new ObnovaError('CMP_PROTECTION_INVALID', 'the certificate received is not signed by the card certificate\'s CA');
      const chain = [issuer.der, ...input.chain.filter((c) => !bytesEqual(c, issuer.der))];
      return { certificate: der, chain, transactionId: toHex(new Uint8Array(transactionId.buffer)), serverNonce: toHex(octets(answer.header.senderNonce) ?? new Uint8Array(0)) };
    },

    async confirm(input, received, callOptions) {
      const transactionId = new OctetString(toArrayBuffer(fromHex(received.transactionId)));
      const { header: h, senderNonce } = header(input, transactionId, new OctetString(toArrayBuffer(fromHex(received.serverNonce))));
      const status = new CertStatus({
        certHash: new OctetString(toArrayBuffer(await certificateHash(received.certificate))),
        certReqId: toArrayBuffer(Uint8Array.of(0)),
        statusInfo: new PkiStatusInfo({ status: PkiStatus.accepted }),
      });
      const request = await protectMessage(h, new PkiBody({ certConf: new CertConfirmContent([status]) }), input.oldKey, [input.oldCertificate.der, ...input.chain]);
      const answer = await exchange('cmp.certConf', request, callOptions);
      await checkAnswer(input, answer, transactionId, senderNonce);
      if (bodyType(answer.body) !== 'pkiconf') throw new ObnovaError('CMP_MESSAGE_INVALID', `expected pkiConf, got ${bodyType(answer.body)}`);
    },
  };
}

function refusalFrom(info: PkiStatusInfo): ObnovaError {
  const texts = [...(info.statusString ?? [])];
  const failInfo = info.failInfo ? info.failInfo.names().join(',') : '';
  const known = errorCodeSchema.safeParse(texts[0]);
  const message = `the certificate authority refused: ${failInfo || `status ${info.status}`}${texts.length ? ` (${texts.join(': ')})` : ''}`;
  // Our own CA names its reason with one of the contract's codes (ORDER_NOT_PAID, RENEWAL_CERT_REVOKED…): the app then says exactly that.
  if (known.success && known.data !== 'INTERNAL') return new ObnovaError(known.data, message, { failInfo });
  return new ObnovaError('CMP_REFUSED', message, { failInfo, status: info.status });
}

function sameName(message: PkiMessage, cert: Certificate): boolean {
  const sender = message.header.sender.directoryName;
  return !!sender && toHex(new Uint8Array(AsnConvert.serialize(sender))) === cert.subjectNameHex.toLowerCase();
}

function refusalOf(message: PkiMessage): ObnovaError | null {
  if (message.body.error) return refusalFrom(message.body.error.pKIStatusInfo);
  return null;
}
