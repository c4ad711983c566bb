/** X.509 extensions for CA, end-entity and OCSP responder certificates (RFC 5280, EN 319 412-2/3/5). */
import 'reflect-metadata';
import { AsnConvert } from '@peculiar/asn1-schema';
import { QCStatement, QCStatements, SemanticsInformation, id_pe_qcStatements } from '@peculiar/asn1-x509-qualified';
import {
  PdsLocation,
  QcEuPDS,
  QcType,
  id_etsi_qcs_qcCompliance,
  id_etsi_qcs_qcPDS,
  id_etsi_qcs_qcSSCD,
  id_etsi_qcs_qcType,
  id_etsi_qct_eseal,
  id_etsi_qct_esign,
} from '@peculiar/asn1-x509-qualified-etsi';
import * as x509 from '@peculiar/x509';
import type { Profile } from './profiles/profile-schema.js';

export const ekuOids = {
  clientAuth: '1.3.6.1.5.5.7.3.2',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  ocspSigning: '1.3.6.1.5.5.7.3.9',
} as const;

/** id-pkix-ocsp-nocheck (RFC 6960 §4.2.2.2.1). */
export const oidOcspNoCheck = '1.3.6.1.5.5.7.48.1.5';
const oidAnyPolicy = '2.5.29.32.0';
/** id-qcs-pkixQCSyntax-v2 (RFC 3739) carrying the EN 319 412-1 semantics identifier. */
const oidPkixQcSyntaxV2 = '1.3.6.1.5.5.7.11.2';
const semanticsIds = { natural: '0.4.0.194121.1.1', legal: '0.4.0.194121.1.2' } as const;

/** The URLs a relying party uses to reach this CA. */
export interface CaUrls {
  baseUrl: string;
}

export const caUrls = {
  caIssuers: (base: string, ca: string) => `${base}/ca/${ca}.cer`,
  crl: (base: string, ca: string) => `${base}/crl/${ca}.crl`,
  ocsp: (base: string) => `${base}/ocsp`,
};

const keyUsageFlags: Record<Profile['keyUsage'][number], x509.KeyUsageFlags> = {
  digitalSignature: x509.KeyUsageFlags.digitalSignature,
  nonRepudiation: x509.KeyUsageFlags.nonRepudiation,
  keyEncipherment: x509.KeyUsageFlags.keyEncipherment,
  dataEncipherment: x509.KeyUsageFlags.dataEncipherment,
  keyAgreement: x509.KeyUsageFlags.keyAgreement,
};

function qcStatement(fields: { statementId: string; statementInfo?: ArrayBuffer }): QCStatement {
  const statement = new QCStatement();
  statement.statementId = fields.statementId;
  // Absent statementInfo must be omitted, not encoded as an empty value.
  statement.statementInfo = fields.statementInfo as ArrayBuffer;
  return statement;
}

/** QcStatements per EN 319 412-5: compliance, SSCD, type, PDS, plus the EN 319 412-1 semantics id. */
export function qcStatementsExtension(profile: Profile, baseUrl: string): x509.Extension {
  const qc = profile.qcStatements;
  const statements: QCStatement[] = [
    qcStatement({
      statementId: oidPkixQcSyntaxV2,
      statementInfo: AsnConvert.serialize(new SemanticsInformation({ semanticsIdentifier: semanticsIds[qc.semantics] })),
    }),
    qcStatement({ statementId: id_etsi_qcs_qcCompliance }),
  ];
  if (qc.sscd) statements.push(qcStatement({ statementId: id_etsi_qcs_qcSSCD }));
  statements.push(
    qcStatement({
      statementId: id_etsi_qcs_qcType,
      statementInfo: AsnConvert.serialize(new QcType([qc.type === 'esign' ? id_etsi_qct_esign : id_etsi_qct_eseal])),
    }),
    qcStatement({
      statementId: id_etsi_qcs_qcPDS,
      statementInfo: AsnConvert.serialize(
        new QcEuPDS(qc.pds.map((p) => new PdsLocation({ url: p.url.replace('{baseUrl}', baseUrl), language: p.language }))),
      ),
    }),
  );
  return new x509.Extension(id_pe_qcStatements, false, AsnConvert.serialize(new QCStatements(statements)));
}

/** Extensions of a certificate issued under `profile`. */
export function endEntityExtensions(
  profile: Profile,
  opts: { baseUrl: string; subjectKeyId: string; issuerKeyId: string; email: string | null },
): x509.Extension[] {
  const usage = profile.keyUsage.reduce((flags, name) => flags | keyUsageFlags[name], 0);
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(usage, true),
    new x509.ExtendedKeyUsageExtension(profile.extendedKeyUsage.map((e) => ekuOids[e])),
    new x509.CertificatePolicyExtension(profile.policies),
    new x509.SubjectKeyIdentifierExtension(opts.subjectKeyId),
    new x509.AuthorityKeyIdentifierExtension(opts.issuerKeyId),
    new x509.AuthorityInfoAccessExtension({ ocsp: caUrls.ocsp(opts.baseUrl), caIssuers: caUrls.caIssuers(opts.baseUrl, 'issuing') }),
    new x509.CRLDistributionPointsExtension([caUrls.crl(opts.baseUrl, 'issuing')]),
    qcStatementsExtension(profile, opts.baseUrl),
  ];
  if (profile.emailInSubjectAltName && opts.email) {
    extensions.push(new x509.SubjectAlternativeNameExtension([{ type: 'email', value: opts.email }]));
  }
  return extensions;
}

/** Root CA: self-signed, keyCertSign + cRLSign. */
export function rootExtensions(subjectKeyId: string): x509.Extension[] {
  return [
    new x509.BasicConstraintsExtension(true, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    new x509.SubjectKeyIdentifierExtension(subjectKeyId),
  ];
}

/** Issuing CA under the root: path length 0, revocation via the root's CRL. */
export function issuingCaExtensions(baseUrl: string, subjectKeyId: string, rootKeyId: string): x509.Extension[] {
  return [
    new x509.BasicConstraintsExtension(true, 0, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    new x509.SubjectKeyIdentifierExtension(subjectKeyId),
    new x509.AuthorityKeyIdentifierExtension(rootKeyId),
    new x509.CertificatePolicyExtension([oidAnyPolicy]),
    new x509.AuthorityInfoAccessExtension({ caIssuers: caUrls.caIssuers(baseUrl, 'root') }),
    new x509.CRLDistributionPointsExtension([caUrls.crl(baseUrl, 'root')]),
  ];
}

/** Delegated OCSP responder (RFC 6960 §4.2.2.2): OCSPSigning EKU and no revocation check of itself. */
export function ocspResponderExtensions(subjectKeyId: string, issuerKeyId: string): x509.Extension[] {
  return [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    new x509.ExtendedKeyUsageExtension([ekuOids.ocspSigning], false),
    new x509.SubjectKeyIdentifierExtension(subjectKeyId),
    new x509.AuthorityKeyIdentifierExtension(issuerKeyId),
    new x509.Extension(oidOcspNoCheck, false, new Uint8Array([0x05, 0x00])),
  ];
}
