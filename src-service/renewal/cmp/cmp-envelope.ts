/**
 * The envelope rules of RFC 9483 §3 on a request (version, transactionID, senderNonce, time,
 * signature protection by the certificate in extraCerts[0], sender = that certificate's subject)
 * and the CA's protected answers (recipNonce = the request's senderNonce, fresh senderNonce).
 */
import { AsnConvert, type OctetString } from '@peculiar/asn1-schema';
import { Certificate as AsnCertificate, type GeneralName, type Name } from '@peculiar/asn1-x509';
import { GenMsgContent, InfoTypeAndValue, PkiBody, PkiHeader, type PkiMessage, PkiStatus, PkiStatusInfo, PkiFreeText, PkiFailureInfo, ErrorMsgContent, idItImplicitConfirm } from '../../../src-shared/pki/cmp/cmp-asn1.js';
import { nullName, octets, protectMessage, protectionCertificate, protectionVerifies, randomOctets } from '../../../src-shared/pki/cmp/cmp-message.js';
import { bytesEqual, toArrayBuffer } from '../../../src-shared/pki/encoding.js';
import type { Signer } from '../../../src-shared/pki/signer.js';
import { CmpFailure } from './cmp-failure.js';

/** Largest clock difference accepted in messageTime (RFC 9483 §3.5: "reasonable"). */
const maxClockSkewMs = 10 * 60_000;

/** The CA's side of every answer: its signer (issuing key in the HSM), the certificates to send, and its header fields. */
export interface CmpResponder {
  signer: Signer;
  /** Issuing CA certificate (the protection certificate), then the root. */
  chain: Uint8Array[];
  /** The issuing CA's subject (header sender) and subjectKeyIdentifier (senderKID), worked out once, not per answer. */
  sender: GeneralName;
  senderKID: OctetString | undefined;
}

export interface CheckedRequest {
  message: PkiMessage;
  transactionId: Uint8Array;
  senderNonce: Uint8Array;
  /** The protection certificate, verified to have signed the message. */
  signerCert: Uint8Array;
}

/** Everything the header and protection must satisfy before the body is looked at. */
export async function checkEnvelope(message: PkiMessage, now: Date): Promise<CheckedRequest> {
  const { header } = message;
  if (header.pvno !== 2 && header.pvno !== 3) throw new CmpFailure('unsupportedVersion', 'CMP_MESSAGE_INVALID', `pvno ${header.pvno} is not cmp2000(2) or cmp2021(3)`);
  const transactionId = octets(header.transactionID);
  if (!transactionId || transactionId.length < 16) throw new CmpFailure('badDataFormat', 'CMP_MESSAGE_INVALID', 'transactionID must be present with at least 128 bits');
  const senderNonce = octets(header.senderNonce);
  if (!senderNonce || senderNonce.length < 16) throw new CmpFailure('badSenderNonce', 'CMP_MESSAGE_INVALID', 'senderNonce must be present with at least 128 bits');
  if (header.messageTime && Math.abs(header.messageTime.getTime() - now.getTime()) > maxClockSkewMs) {
    throw new CmpFailure('badTime', 'CMP_MESSAGE_INVALID', `messageTime ${header.messageTime.toISOString()} is more than 10 minutes off`);
  }
  const signerCert = protectionCertificate(message);
  if (!message.protection || !header.protectionAlg || !signerCert) {
    throw new CmpFailure('badMessageCheck', 'CMP_PROTECTION_INVALID', 'the request must carry signature protection and its certificate first in extraCerts');
  }
  if (!(await protectionVerifies(message, signerCert))) throw new CmpFailure('badMessageCheck', 'CMP_PROTECTION_INVALID', 'the protection does not verify under the certificate in extraCerts');
  const subject = AsnConvert.parse(signerCert, AsnCertificate).tbsCertificate.subject;
  const sender = header.sender.directoryName;
  if (!sender || !bytesEqual(new Uint8Array(AsnConvert.serialize(sender)), new Uint8Array(AsnConvert.serialize(subject)))) {
    throw new CmpFailure('badMessageCheck', 'CMP_PROTECTION_INVALID', 'the sender is not the subject of the protection certificate');
  }
  return { message, transactionId, senderNonce, signerCert };
}

/** Header fields echoed from whatever could be read of a request (an error to an unparsable one echoes nothing). */
export interface Echo {
  pvno?: number;
  sender?: PkiHeader['sender'];
  senderKID?: OctetString;
  transactionID?: OctetString;
  senderNonce?: OctetString;
}

/** A protected answer; the new senderNonce is returned so a transaction can store it for certConf. */
export async function answer(responder: CmpResponder, echo: Echo, body: PkiBody, now: Date, options: { implicitConfirm?: boolean } = {}): Promise<{ der: Uint8Array; senderNonce: Uint8Array }> {
  const senderNonce = randomOctets();
  const header = new PkiHeader({
    pvno: echo.pvno === 3 ? 3 : 2,
    sender: responder.sender,
    recipient: echo.sender ?? nullName(),
    messageTime: new Date(Math.floor(now.getTime() / 1000) * 1000),
    senderKID: responder.senderKID,
    recipKID: echo.senderKID,
    transactionID: echo.transactionID,
    senderNonce,
    recipNonce: echo.senderNonce,
  });
  if (options.implicitConfirm) header.generalInfo = new GenMsgContent([new InfoTypeAndValue({ infoType: idItImplicitConfirm, infoValue: nullDer() })]);
  const der = await protectMessage(header, body, responder.signer, responder.chain);
  return { der, senderNonce: new Uint8Array(senderNonce.buffer) };
}

/** An error body (RFC 4210 §5.3.21): status rejection, the failure bit, and [code, sentence] as text. */
export function errorBody(failure: CmpFailure): PkiBody {
  return new PkiBody({
    error: new ErrorMsgContent({
      pKIStatusInfo: new PkiStatusInfo({
        status: PkiStatus.rejection,
        statusString: new PkiFreeText([failure.code, failure.message]),
        failInfo: PkiFailureInfo.of(failure.failInfo),
      }),
    }),
  });
}

/** True when the request's generalInfo asks for implicit confirmation. */
export function wantsImplicitConfirm(message: PkiMessage): boolean {
  return (message.header.generalInfo ?? []).some((i) => i.infoType === idItImplicitConfirm);
}

function nullDer(): ArrayBuffer {
  return toArrayBuffer(Uint8Array.of(0x05, 0x00));
}

/** A Name's DER, for comparisons. */
export function nameDer(name: Name): Uint8Array {
  return new Uint8Array(AsnConvert.serialize(name));
}
