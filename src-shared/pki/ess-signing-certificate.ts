/**
 * ESS signing-certificate-v2 (RFC 5035 §3) and v1 (RFC 2634 §5.4), which no installed @peculiar package
 * declares, described with asn1-schema (decorators applied as calls so any TS transpiler handles them).
 */
import { AsnArray, AsnIntegerArrayBufferConverter, AsnProp, AsnPropTypes, AsnType, AsnTypeTypes, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, GeneralNames, PolicyInformation } from '@peculiar/asn1-x509';

export const id_aa_signingCertificate = '1.2.840.113549.1.9.16.2.12';
export const id_aa_signingCertificateV2 = '1.2.840.113549.1.9.16.2.47';

/** IssuerSerial ::= SEQUENCE { issuer GeneralNames, serialNumber CertificateSerialNumber } */
export class IssuerSerial {
  issuer = new GeneralNames();
  serialNumber = new ArrayBuffer(0);
  constructor(params: Partial<IssuerSerial> = {}) {
    Object.assign(this, params);
  }
}
AsnProp({ type: GeneralNames })(IssuerSerial.prototype, 'issuer');
AsnProp({ type: AsnPropTypes.Integer, converter: AsnIntegerArrayBufferConverter })(IssuerSerial.prototype, 'serialNumber');

/** ESSCertIDv2 ::= SEQUENCE { hashAlgorithm DEFAULT id-sha256, certHash, issuerSerial OPTIONAL } */
export class EssCertIdV2 {
  hashAlgorithm?: AlgorithmIdentifier;
  certHash = new OctetString();
  issuerSerial?: IssuerSerial;
  constructor(params: Partial<EssCertIdV2> = {}) {
    Object.assign(this, params);
  }
}
AsnProp({ type: AlgorithmIdentifier, optional: true })(EssCertIdV2.prototype, 'hashAlgorithm');
AsnProp({ type: OctetString })(EssCertIdV2.prototype, 'certHash');
AsnProp({ type: IssuerSerial, optional: true })(EssCertIdV2.prototype, 'issuerSerial');

/** ESSCertID ::= SEQUENCE { certHash (SHA-1), issuerSerial OPTIONAL } */
export class EssCertId {
  certHash = new OctetString();
  issuerSerial?: IssuerSerial;
}
AsnProp({ type: OctetString })(EssCertId.prototype, 'certHash');
AsnProp({ type: IssuerSerial, optional: true })(EssCertId.prototype, 'issuerSerial');

export class EssCertIdsV2 extends AsnArray<EssCertIdV2> {
  constructor(items?: EssCertIdV2[]) {
    super(items);
    Object.setPrototypeOf(this, EssCertIdsV2.prototype);
  }
}
AsnType({ type: AsnTypeTypes.Sequence, itemType: EssCertIdV2 })(EssCertIdsV2);

export class EssCertIds extends AsnArray<EssCertId> {
  constructor(items?: EssCertId[]) {
    super(items);
    Object.setPrototypeOf(this, EssCertIds.prototype);
  }
}
AsnType({ type: AsnTypeTypes.Sequence, itemType: EssCertId })(EssCertIds);

class PolicyInformations extends AsnArray<PolicyInformation> {
  constructor(items?: PolicyInformation[]) {
    super(items);
    Object.setPrototypeOf(this, PolicyInformations.prototype);
  }
}
AsnType({ type: AsnTypeTypes.Sequence, itemType: PolicyInformation })(PolicyInformations);

/** SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2, policies OPTIONAL } */
export class SigningCertificateV2 {
  certs = new EssCertIdsV2();
  policies?: PolicyInformations;
  constructor(params: Partial<SigningCertificateV2> = {}) {
    Object.assign(this, params);
  }
}
AsnProp({ type: EssCertIdsV2 })(SigningCertificateV2.prototype, 'certs');
AsnProp({ type: PolicyInformations, optional: true })(SigningCertificateV2.prototype, 'policies');

/** SigningCertificate ::= SEQUENCE { certs SEQUENCE OF ESSCertID, policies OPTIONAL } */
export class SigningCertificate {
  certs = new EssCertIds();
  policies?: PolicyInformations;
}
AsnProp({ type: EssCertIds })(SigningCertificate.prototype, 'certs');
AsnProp({ type: PolicyInformations, optional: true })(SigningCertificate.prototype, 'policies');
