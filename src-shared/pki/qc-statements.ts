/** QcStatements (RFC 3739, ETSI EN 319 412-5) as typed fields. */
import { AsnConvert } from '@peculiar/asn1-schema';
import { QCStatements, SemanticsInformation, id_qcs_pkixQCSyntax_v1, id_qcs_pkixQCSyntax_v2 } from '@peculiar/asn1-x509-qualified';
import {
  QcCClegislation,
  QcEuLimitValue,
  QcEuPDS,
  QcEuRetentionPeriod,
  QcType,
  id_etsi_qcs_qcCClegislation,
  id_etsi_qcs_qcCompliance,
  id_etsi_qcs_qcLimitValue,
  id_etsi_qcs_qcPDS,
  id_etsi_qcs_qcRetentionPeriod,
  id_etsi_qcs_qcSSCD,
  id_etsi_qcs_qcType,
  id_etsi_qct_eseal,
  id_etsi_qct_esign,
  id_etsi_qct_web,
} from '@peculiar/asn1-x509-qualified-etsi';

/** EN 319 412-1 §5.1 semantics identifiers: natural person (PNO…, IDC…) and legal person (VAT…, NTR…). */
export const semanticsIds = { natural: '0.4.0.194121.1.1', legal: '0.4.0.194121.1.2' } as const;

export type QcTypeName = 'esign' | 'eseal' | 'web';

export interface QcStatementsInfo {
  /** Every statementId present, in order. */
  ids: string[];
  /** EN 319 412-5 §4.2.1: issued as an EU qualified certificate. */
  compliance: boolean;
  /** EN 319 412-5 §4.2.2: private key in a qualified signature/seal creation device. */
  sscd: boolean;
  /** EN 319 412-5 §4.2.3: esign, eseal or web; unknown OIDs are kept as OIDs. */
  types: (QcTypeName | string)[];
  /** EN 319 412-5 §4.3.4: PKI Disclosure Statement URLs with their languages. */
  pds: { url: string; language: string }[];
  /** EN 319 412-5 §4.3.3: years the registration data is kept after expiry. */
  retentionPeriodYears: number | null;
  /** EN 319 412-5 §4.3.2: transaction limit. */
  limitValue: { currency: string; amount: number; exponent: number } | null;
  /** EN 319 412-5 §4.2.4: countries whose legislation the certificate is qualified under (non-EU). */
  legislationCountries: string[];
  /** RFC 3739 §3.2.6.1 semantics identifier, e.g. {@link semanticsIds}. */
  semanticsId: string | null;
}

const qcTypeNames: Record<string, QcTypeName> = { [id_etsi_qct_esign]: 'esign', [id_etsi_qct_eseal]: 'eseal', [id_etsi_qct_web]: 'web' };

/** An empty statement set (a certificate without the extension). */
export function noQcStatements(): QcStatementsInfo {
  return { ids: [], compliance: false, sscd: false, types: [], pds: [], retentionPeriodYears: null, limitValue: null, legislationCountries: [], semanticsId: null };
}

/** Parses the qcStatements extension value; a statement whose info does not parse is listed in ids but left out of the typed fields. */
export function parseQcStatements(extensionValue: ArrayBuffer): QcStatementsInfo {
  const info = noQcStatements();
  for (const statement of AsnConvert.parse(extensionValue, QCStatements)) {
    const id = statement.statementId;
    info.ids.push(id);
    const raw = statement.statementInfo && statement.statementInfo.byteLength > 0 ? statement.statementInfo : null;
    try {
      if (id === id_etsi_qcs_qcCompliance) info.compliance = true;
      else if (id === id_etsi_qcs_qcSSCD) info.sscd = true;
      else if (id === id_etsi_qcs_qcType && raw) info.types.push(...AsnConvert.parse(raw, QcType).map((oid) => qcTypeNames[oid] ?? oid));
      else if (id === id_etsi_qcs_qcPDS && raw) info.pds.push(...AsnConvert.parse(raw, QcEuPDS).map((p) => ({ url: p.url, language: p.language.toLowerCase() })));
      else if (id === id_etsi_qcs_qcRetentionPeriod && raw) info.retentionPeriodYears = AsnConvert.parse(raw, QcEuRetentionPeriod).value;
      else if (id === id_etsi_qcs_qcLimitValue && raw) {
        const v = AsnConvert.parse(raw, QcEuLimitValue);
        info.limitValue = { currency: v.currency.alphabetic ?? String(v.currency.numeric ?? ''), amount: v.amount, exponent: v.exponent };
      } else if (id === id_etsi_qcs_qcCClegislation && raw) info.legislationCountries.push(...AsnConvert.parse(raw, QcCClegislation));
      else if ((id === id_qcs_pkixQCSyntax_v2 || id === id_qcs_pkixQCSyntax_v1) && raw) {
        info.semanticsId = AsnConvert.parse(raw, SemanticsInformation).semanticsIdentifier ?? null;
      }
    } catch {
      // A malformed statementInfo leaves its typed field empty; the id stays listed so callers can see it was there.
    }
  }
  return info;
}
