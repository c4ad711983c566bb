/**
 * CRMF (RFC 4211 §5–6, with RFC 9480's updates) as @peculiar/asn1-schema classes: the request
 * messages a CMP kur/ir/cr carries. RFC 4211's module has IMPLICIT TAGS, except where the
 * tagged type is a CHOICE (Name, Time), which X.680 always tags explicitly.
 */
import 'reflect-metadata';
import { AsnArray, AsnIntegerArrayBufferConverter, AsnProp, AsnPropTypes, AsnType, AsnTypeTypes } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, Extensions, GeneralName, Name, SubjectPublicKeyInfo, Time } from '@peculiar/asn1-x509';

/** id-regCtrl-oldCertID (RFC 4211 §6.5): the certificate a kur replaces. */
export const idRegCtrlOldCertId = '1.3.6.1.5.5.7.5.1.5';

/** OptionalValidity ::= SEQUENCE { notBefore [0] Time OPTIONAL, notAfter [1] Time OPTIONAL } */
export class OptionalValidity {
  notBefore?: Time;
  notAfter?: Time;
  constructor(params: Partial<OptionalValidity> = {}) {
    Object.assign(this, params);
  }
}
AsnProp({ type: Time, context: 0, optional: true })(OptionalValidity.prototype, 'notBefore');
AsnProp({ type: Time, context: 1, optional: true })(OptionalValidity.prototype, 'notAfter');

/** CertTemplate (RFC 4211 §5): every field optional; a kur names subject and the new public key. */
export class CertTemplate {
  version?: number;
  serialNumber?: ArrayBuffer;
  signingAlg?: AlgorithmIdentifier;
  issuer?: Name;
  validity?: OptionalValidity;
  subject?: Name;
  publicKey?: SubjectPublicKeyInfo;
  issuerUID?: ArrayBuffer;
  subjectUID?: ArrayBuffer;
  extensions?: Extensions;
  constructor(params: Partial<CertTemplate> = {}) {
    Object.assign(this, params);
  }
}
AsnProp({ type: AsnPropTypes.Integer, context: 0, implicit: true, optional: true })(CertTemplate.prototype, 'version');
AsnProp({ type: AsnPropTypes.Integer, converter: AsnIntegerArrayBufferConverter, context: 1, implicit: true, optional: true })(CertTemplate.prototype, 'serialNumber');
AsnProp({ type: AlgorithmIdentifier, context: 2, implicit: true, optional: true })(CertTemplate.prototype, 'signingAlg');
AsnProp({ type: Name, context: 3, optional: true })(CertTemplate.prototype, 'issuer');
AsnProp({ type: OptionalValidity, context: 4, implicit: true, optional: true })(CertTemplate.prototype, 'validity');
AsnProp({ type: Name, context: 5, optional: true })(CertTemplate.prototype, 'subject');
AsnProp({ type: SubjectPublicKeyInfo, context: 6, implicit: true, optional: true })(CertTemplate.prototype, 'publicKey');
AsnProp({ type: AsnPropTypes.BitString, context: 7, implicit: true, optional: true })(CertTemplate.prototype, 'issuerUID');
AsnProp({ type: AsnPropTypes.BitString, context: 8, implicit: true, optional: true })(CertTemplate.prototype, 'subjectUID');
AsnProp({ type: Extensions, context: 9, implicit: true, optional: true })(CertTemplate.prototype, 'extensions');

/** AttributeTypeAndValue ::= SEQUENCE { type OID, value ANY } (controls and regInfo). */
export class CrmfAttribute {
  type = '';
  value = new ArrayBuffer(0);
  constructor(params: Partial<CrmfAttribute> = {}) {
    Object.assign(this, params);
  }
}
AsnProp({ type: AsnPropTypes.ObjectIdentifier })(CrmfAttribute.prototype, 'type');
AsnProp({ type: AsnPropTypes.Any })(CrmfAttribute.prototype, 'value');

/** Controls ::= SEQUENCE SIZE (1..MAX) OF AttributeTypeAndValue */
export class Controls extends AsnArray<CrmfAttribute> {}
AsnType({ type: AsnTypeTypes.Sequence, itemType: CrmfAttribute })(Controls);

/** CertId ::= SEQUENCE { issuer GeneralName, serialNumber INTEGER } (the value of id-regCtrl-oldCertID). */
export class CertId {
  issuer = new GeneralName();
  serialNumber = new ArrayBuffer(0);
  constructor(params: Partial<CertId> = {}) {
    Object.assign(this, params);
  }
}
AsnProp({ type: GeneralName })(CertId.prototype, 'issuer');
AsnProp({ type: AsnPropTypes.Integer, converter: AsnIntegerArrayBufferConverter })(CertId.prototype, 'serialNumber');

/** CertRequest ::= SEQUENCE { certReqId INTEGER, certTemplate CertTemplate, controls Controls OPTIONAL } */
export class CertRequest {
  certReqId = 0;
  certTemplate = new CertTemplate();
  controls?: Controls;
  constructor(params: Partial<CertRequest> = {}) {
    Object.assign(this, params);
  }
}
AsnProp({ type: AsnPropTypes.Integer })(CertRequest.prototype, 'certReqId');
AsnProp({ type: CertTemplate })(CertRequest.prototype, 'certTemplate');
AsnProp({ type: Controls, optional: true })(CertRequest.prototype, 'controls');

/**
 * POPOSigningKey ::= SEQUENCE { poposkInput [0] POPOSigningKeyInput OPTIONAL, algorithmIdentifier, signature BIT STRING }.
 * Without poposkInput (RFC 4211 §4.1, the only form RFC 9483 §4.1.3 uses) the signature is over the DER of certReq.
 */
export class PopoSigningKey {
  poposkInput?: ArrayBuffer;
  algorithmIdentifier = new AlgorithmIdentifier();
  signature = new ArrayBuffer(0);
  constructor(params: Partial<PopoSigningKey> = {}) {
    Object.assign(this, params);
  }
}
AsnProp({ type: AsnPropTypes.Any, context: 0, implicit: true, optional: true })(PopoSigningKey.prototype, 'poposkInput');
AsnProp({ type: AlgorithmIdentifier })(PopoSigningKey.prototype, 'algorithmIdentifier');
AsnProp({ type: AsnPropTypes.BitString })(PopoSigningKey.prototype, 'signature');

/** ProofOfPossession ::= CHOICE { raVerified [0] NULL, signature [1] POPOSigningKey, keyEncipherment [2], keyAgreement [3] } */
export class ProofOfPossession {
  raVerified?: null;
  signature?: PopoSigningKey;
  keyEncipherment?: ArrayBuffer;
  keyAgreement?: ArrayBuffer;
  constructor(params: Partial<ProofOfPossession> = {}) {
    Object.assign(this, params);
  }
}
AsnType({ type: AsnTypeTypes.Choice })(ProofOfPossession);
AsnProp({ type: AsnPropTypes.Null, context: 0, implicit: true })(ProofOfPossession.prototype, 'raVerified');
AsnProp({ type: PopoSigningKey, context: 1, implicit: true })(ProofOfPossession.prototype, 'signature');
AsnProp({ type: AsnPropTypes.Any, context: 2 })(ProofOfPossession.prototype, 'keyEncipherment');
AsnProp({ type: AsnPropTypes.Any, context: 3 })(ProofOfPossession.prototype, 'keyAgreement');

/** CertReqMsg ::= SEQUENCE { certReq CertRequest, popo ProofOfPossession OPTIONAL, regInfo SEQUENCE OF AttributeTypeAndValue OPTIONAL } */
export class CertReqMsg {
  certReq = new CertRequest();
  /** The DER of certReq as received: what a signature POP covers. */
  certReqRaw?: ArrayBuffer;
  popo?: ProofOfPossession;
  regInfo?: Controls;
  constructor(params: Partial<CertReqMsg> = {}) {
    Object.assign(this, params);
  }
}
AsnProp({ type: CertRequest, raw: true })(CertReqMsg.prototype, 'certReq');
AsnProp({ type: ProofOfPossession, optional: true })(CertReqMsg.prototype, 'popo');
AsnProp({ type: Controls, optional: true })(CertReqMsg.prototype, 'regInfo');

/** CertReqMessages ::= SEQUENCE SIZE (1..MAX) OF CertReqMsg */
export class CertReqMessages extends AsnArray<CertReqMsg> {}
AsnType({ type: AsnTypeTypes.Sequence, itemType: CertReqMsg })(CertReqMessages);
