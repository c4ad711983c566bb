/**
 * CMP (RFC 4210 §5 with RFC 9480's updates) as @peculiar/asn1-schema classes: the PKIMessage
 * envelope and the bodies the Lightweight CMP Profile's key update uses (RFC 9483 §4.1.3, §4.3, §5):
 * kur/kup, certConf/pkiConf, genm/genp, error. The PKIXCMP module has EXPLICIT TAGS.
 * Bodies this project does not speak are kept as raw DER (`other`) so any PKIMessage still parses.
 */
import 'reflect-metadata';
import { AsnArray, AsnIntegerArrayBufferConverter, AsnProp, AsnPropTypes, AsnType, AsnTypeTypes, BitString, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, Certificate, GeneralName } from '@peculiar/asn1-x509';
import { CertReqMessages } from './crmf-asn1.js';

/** PKIFreeText ::= SEQUENCE SIZE (1..MAX) OF UTF8String */
export class PkiFreeText extends AsnArray<string> {}
AsnType({ type: AsnTypeTypes.Sequence, itemType: AsnPropTypes.Utf8String })(PkiFreeText);

/** PKIStatus values (RFC 4210 §5.2.3). */
export const PkiStatus = { accepted: 0, grantedWithMods: 1, rejection: 2, waiting: 3, revocationWarning: 4, revocationNotification: 5, keyUpdateWarning: 6 } as const;

/** PKIFailureInfo named bits (RFC 4210 §5.2.3, RFC 9480). */
export const failureBits = {
  badAlg: 0,
  badMessageCheck: 1,
  badRequest: 2,
  badTime: 3,
  badCertId: 4,
  badDataFormat: 5,
  wrongAuthority: 6,
  incorrectData: 7,
  missingTimeStamp: 8,
  badPOP: 9,
  certRevoked: 10,
  certConfirmed: 11,
  wrongIntegrity: 12,
  badRecipientNonce: 13,
  timeNotAvailable: 14,
  unacceptedPolicy: 15,
  unacceptedExtension: 16,
  addInfoNotAvailable: 17,
  badSenderNonce: 18,
  badCertTemplate: 19,
  signerNotTrusted: 20,
  transactionIdInUse: 21,
  unsupportedVersion: 22,
  notAuthorized: 23,
  systemUnavail: 24,
  systemFailure: 25,
  duplicateCertReq: 26,
} as const;
export type FailureName = keyof typeof failureBits;

/** PKIFailureInfo ::= BIT STRING (named bits, DER drops trailing zeros: BitString.fromNumber does). */
export class PkiFailureInfo extends BitString {
  static of(...names: FailureName[]): PkiFailureInfo {
    const info = new PkiFailureInfo();
    info.fromNumber(names.reduce((n, name) => n | (1 << failureBits[name]), 0));
    return info;
  }

  names(): FailureName[] {
    const value = this.toNumber();
    return (Object.keys(failureBits) as FailureName[]).filter((name) => value & (1 << failureBits[name]));
  }
}

/** PKIStatusInfo ::= SEQUENCE { status PKIStatus, statusString PKIFreeText OPTIONAL, failInfo PKIFailureInfo OPTIONAL } */
export class PkiStatusInfo {
  status = 0;
  statusString?: PkiFreeText;
  failInfo?: PkiFailureInfo;
  constructor(params: Partial<PkiStatusInfo> = {}) {
    Object.assign(this, params);
  }
}
AsnProp({ type: AsnPropTypes.Integer })(PkiStatusInfo.prototype, 'status');
AsnProp({ type: PkiFreeText, optional: true })(PkiStatusInfo.prototype, 'statusString');
AsnProp({ type: PkiFailureInfo, optional: true })(PkiStatusInfo.prototype, 'failInfo');

/** InfoTypeAndValue ::= SEQUENCE { infoType OID, infoValue ANY DEFINED BY infoType OPTIONAL } */
export class InfoTypeAndValue {
  infoType = '';
  infoValue?: ArrayBuffer;
  constructor(params: Partial<InfoTypeAndValue> = {}) {
    Object.assign(this, params);
  }
}
AsnProp({ type: AsnPropTypes.ObjectIdentifier })(InfoTypeAndValue.prototype, 'infoType');
AsnProp({ type: AsnPropTypes.Any, optional: true })(InfoTypeAndValue.prototype, 'infoValue');

/** GenMsgContent / GenRepContent ::= SEQUENCE OF InfoTypeAndValue */
export class GenMsgContent extends AsnArray<InfoTypeAndValue> {}
AsnType({ type: AsnTypeTypes.Sequence, itemType: InfoTypeAndValue })(GenMsgContent);

/** SEQUENCE SIZE (1..MAX) OF CMPCertificate (extraCerts, caPubs, CaCerts). */
export class CmpCertificates extends AsnArray<Certificate> {}
AsnType({ type: AsnTypeTypes.Sequence, itemType: Certificate })(CmpCertificates);

/** PKIHeader (RFC 4210 §5.1.1). */
export class PkiHeader {
  /** cmp2000(2); cmp2021(3) only when EnvelopedData or hashAlg in certConf is used (RFC 9480 §2.20). */
  pvno = 2;
  sender = new GeneralName();
  recipient = new GeneralName();
  messageTime?: Date;
  protectionAlg?: AlgorithmIdentifier;
  senderKID?: OctetString;
  recipKID?: OctetString;
  transactionID?: OctetString;
  senderNonce?: OctetString;
  recipNonce?: OctetString;
  freeText?: PkiFreeText;
  generalInfo?: GenMsgContent;
  constructor(params: Partial<PkiHeader> = {}) {
    Object.assign(this, params);
  }
}
AsnProp({ type: AsnPropTypes.Integer })(PkiHeader.prototype, 'pvno');
AsnProp({ type: GeneralName })(PkiHeader.prototype, 'sender');
AsnProp({ type: GeneralName })(PkiHeader.prototype, 'recipient');
AsnProp({ type: AsnPropTypes.GeneralizedTime, context: 0, optional: true })(PkiHeader.prototype, 'messageTime');
AsnProp({ type: AlgorithmIdentifier, context: 1, optional: true })(PkiHeader.prototype, 'protectionAlg');
AsnProp({ type: OctetString, context: 2, optional: true })(PkiHeader.prototype, 'senderKID');
AsnProp({ type: OctetString, context: 3, optional: true })(PkiHeader.prototype, 'recipKID');
AsnProp({ type: OctetString, context: 4, optional: true })(PkiHeader.prototype, 'transactionID');
AsnProp({ type: OctetString, context: 5, optional: true })(PkiHeader.prototype, 'senderNonce');
AsnProp({ type: OctetString, context: 6, optional: true })(PkiHeader.prototype, 'recipNonce');
AsnProp({ type: PkiFreeText, context: 7, optional: true })(PkiHeader.prototype, 'freeText');
AsnProp({ type: GenMsgContent, context: 8, optional: true })(PkiHeader.prototype, 'generalInfo');

/** CertOrEncCert ::= CHOICE { certificate [0] CMPCertificate, encryptedCert [1] EncryptedKey } */
export class CertOrEncCert {
  certificate?: Certificate;
  encryptedCert?: ArrayBuffer;
  constructor(params: Partial<CertOrEncCert> = {}) {
    Object.assign(this, params);
  }
}
AsnType({ type: AsnTypeTypes.Choice })(CertOrEncCert);
AsnProp({ type: Certificate, context: 0 })(CertOrEncCert.prototype, 'certificate');
AsnProp({ type: AsnPropTypes.Any, context: 1 })(CertOrEncCert.prototype, 'encryptedCert');

/** CertifiedKeyPair ::= SEQUENCE { certOrEncCert, privateKey [0] OPTIONAL, publicationInfo [1] OPTIONAL } */
export class CertifiedKeyPair {
  certOrEncCert = new CertOrEncCert();
  privateKey?: ArrayBuffer;
  publicationInfo?: ArrayBuffer;
  constructor(params: Partial<CertifiedKeyPair> = {}) {
    Object.assign(this, params);
  }
}
AsnProp({ type: CertOrEncCert })(CertifiedKeyPair.prototype, 'certOrEncCert');
AsnProp({ type: AsnPropTypes.Any, context: 0, optional: true })(CertifiedKeyPair.prototype, 'privateKey');
AsnProp({ type: AsnPropTypes.Any, context: 1, optional: true })(CertifiedKeyPair.prototype, 'publicationInfo');

/** CertResponse ::= SEQUENCE { certReqId INTEGER, status PKIStatusInfo, certifiedKeyPair OPTIONAL, rspInfo OCTET STRING OPTIONAL } */
export class CertResponse {
  certReqId = 0;
  status = new PkiStatusInfo();
  certifiedKeyPair?: CertifiedKeyPair;
  rspInfo?: OctetString;
  constructor(params: Partial<CertResponse> = {}) {
    Object.assign(this, params);
  }
}
AsnProp({ type: AsnPropTypes.Integer })(CertResponse.prototype, 'certReqId');
AsnProp({ type: PkiStatusInfo })(CertResponse.prototype, 'status');
AsnProp({ type: CertifiedKeyPair, optional: true })(CertResponse.prototype, 'certifiedKeyPair');
AsnProp({ type: OctetString, optional: true })(CertResponse.prototype, 'rspInfo');

export class CertResponses extends AsnArray<CertResponse> {}
AsnType({ type: AsnTypeTypes.Sequence, itemType: CertResponse })(CertResponses);

/** CertRepMessage ::= SEQUENCE { caPubs [1] SEQUENCE OF CMPCertificate OPTIONAL, response SEQUENCE OF CertResponse } */
export class CertRepMessage {
  caPubs?: CmpCertificates;
  response = new CertResponses();
  constructor(params: Partial<CertRepMessage> = {}) {
    Object.assign(this, params);
  }
}
AsnProp({ type: CmpCertificates, context: 1, optional: true })(CertRepMessage.prototype, 'caPubs');
AsnProp({ type: CertResponses })(CertRepMessage.prototype, 'response');

/** CertStatus ::= SEQUENCE { certHash OCTET STRING, certReqId INTEGER, statusInfo PKIStatusInfo OPTIONAL, hashAlg [0] AlgorithmIdentifier OPTIONAL } */
export class CertStatus {
  certHash = new OctetString();
  certReqId = new ArrayBuffer(0);
  statusInfo?: PkiStatusInfo;
  hashAlg?: AlgorithmIdentifier;
  constructor(params: Partial<CertStatus> = {}) {
    Object.assign(this, params);
  }
}
AsnProp({ type: OctetString })(CertStatus.prototype, 'certHash');
AsnProp({ type: AsnPropTypes.Integer, converter: AsnIntegerArrayBufferConverter })(CertStatus.prototype, 'certReqId');
AsnProp({ type: PkiStatusInfo, optional: true })(CertStatus.prototype, 'statusInfo');
AsnProp({ type: AlgorithmIdentifier, context: 0, optional: true })(CertStatus.prototype, 'hashAlg');

/** CertConfirmContent ::= SEQUENCE OF CertStatus */
export class CertConfirmContent extends AsnArray<CertStatus> {}
AsnType({ type: AsnTypeTypes.Sequence, itemType: CertStatus })(CertConfirmContent);

/** ErrorMsgContent ::= SEQUENCE { pKIStatusInfo, errorCode INTEGER OPTIONAL, errorDetails PKIFreeText OPTIONAL } */
export class ErrorMsgContent {
  pKIStatusInfo = new PkiStatusInfo();
  errorCode?: number;
  errorDetails?: PkiFreeText;
  constructor(params: Partial<ErrorMsgContent> = {}) {
    Object.assign(this, params);
  }
}
AsnProp({ type: PkiStatusInfo })(ErrorMsgContent.prototype, 'pKIStatusInfo');
AsnProp({ type: AsnPropTypes.Integer, optional: true })(ErrorMsgContent.prototype, 'errorCode');
AsnProp({ type: PkiFreeText, optional: true })(ErrorMsgContent.prototype, 'errorDetails');

/** PKIBody: the CHOICE arms of RFC 4210 §5.1.2 this project reads or writes (explicitly tagged). */
export class PkiBody {
  ir?: CertReqMessages;
  ip?: CertRepMessage;
  cr?: CertReqMessages;
  cp?: CertRepMessage;
  p10cr?: ArrayBuffer;
  kur?: CertReqMessages;
  kup?: CertRepMessage;
  pkiconf?: null;
  genm?: GenMsgContent;
  genp?: GenMsgContent;
  error?: ErrorMsgContent;
  certConf?: CertConfirmContent;
  constructor(params: Partial<PkiBody> = {}) {
    Object.assign(this, params);
  }
}
AsnType({ type: AsnTypeTypes.Choice })(PkiBody);
AsnProp({ type: CertReqMessages, context: 0 })(PkiBody.prototype, 'ir');
AsnProp({ type: CertRepMessage, context: 1 })(PkiBody.prototype, 'ip');
AsnProp({ type: CertReqMessages, context: 2 })(PkiBody.prototype, 'cr');
AsnProp({ type: CertRepMessage, context: 3 })(PkiBody.prototype, 'cp');
AsnProp({ type: AsnPropTypes.Any, context: 4 })(PkiBody.prototype, 'p10cr');
AsnProp({ type: CertReqMessages, context: 7 })(PkiBody.prototype, 'kur');
AsnProp({ type: CertRepMessage, context: 8 })(PkiBody.prototype, 'kup');
AsnProp({ type: AsnPropTypes.Null, context: 19 })(PkiBody.prototype, 'pkiconf');
AsnProp({ type: GenMsgContent, context: 21 })(PkiBody.prototype, 'genm');
AsnProp({ type: GenMsgContent, context: 22 })(PkiBody.prototype, 'genp');
AsnProp({ type: ErrorMsgContent, context: 23 })(PkiBody.prototype, 'error');
AsnProp({ type: CertConfirmContent, context: 24 })(PkiBody.prototype, 'certConf');

/** PKIMessage ::= SEQUENCE { header, body, protection [0] BIT STRING OPTIONAL, extraCerts [1] OPTIONAL } */
export class PkiMessage {
  header = new PkiHeader();
  /** DER of header and body as received: ProtectedPart is rebuilt from these, never re-encoded. */
  headerRaw?: ArrayBuffer;
  body = new PkiBody();
  bodyRaw?: ArrayBuffer;
  protection?: ArrayBuffer;
  extraCerts?: CmpCertificates;
  constructor(params: Partial<PkiMessage> = {}) {
    Object.assign(this, params);
  }
}
AsnProp({ type: PkiHeader, raw: true })(PkiMessage.prototype, 'header');
AsnProp({ type: PkiBody, raw: true })(PkiMessage.prototype, 'body');
AsnProp({ type: AsnPropTypes.BitString, context: 0, optional: true })(PkiMessage.prototype, 'protection');
AsnProp({ type: CmpCertificates, context: 1, optional: true })(PkiMessage.prototype, 'extraCerts');

/** ProtectedPart ::= SEQUENCE { header PKIHeader, body PKIBody }: what the protection signs. */
export class ProtectedPart {
  header = new PkiHeader();
  body = new PkiBody();
  constructor(params: Partial<ProtectedPart> = {}) {
    Object.assign(this, params);
  }
}
AsnProp({ type: PkiHeader })(ProtectedPart.prototype, 'header');
AsnProp({ type: PkiBody })(ProtectedPart.prototype, 'body');

/** id-it-caCerts (RFC 9480 §2.10, RFC 9483 §4.3.1): genm asking for the CA certificates. */
export const idItCaCerts = '1.3.6.1.5.5.7.4.17';
/** id-it-implicitConfirm (RFC 4210 §5.1.1.1): generalInfo asking to skip certConf. */
export const idItImplicitConfirm = '1.3.6.1.5.5.7.4.13';
/** id-it-confirmWaitTime (RFC 4210 §5.1.1.2). */
export const idItConfirmWaitTime = '1.3.6.1.5.5.7.4.14';
