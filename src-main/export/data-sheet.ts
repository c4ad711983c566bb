/**
 * The facts of a certificate that banks and portals ask for, in the holder's language: holder, issuer,
 * serial, validity, fingerprints, key usage and the QcStatements (EN 319 412-5) in words.
 */
import type { TFunction } from 'i18next';
import type { Locale } from '../../src-shared/contract/schemas/app.js';
import { createI18n, formatDateTime } from '../../src-shared/i18n/index.js';
import type { Certificate } from '../../src-shared/pki/certificate.js';
import { fingerprint, formatFingerprint } from '../../src-shared/pki/fingerprint.js';
import { semanticsIds } from '../../src-shared/pki/qc-statements.js';

/** One labelled line of the sheet; a value may hold several lines. */
export interface DataSheetRow {
  label: string;
  value: string[];
}

export interface DataSheet {
  title: string;
  subtitle: string;
  rows: DataSheetRow[];
  footer: string;
}

const knownKeyUsages = new Set(['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'cRLSign', 'encipherOnly', 'decipherOnly']);

/** The sheet's rows for `certificate` in `locale`; times in UTC so the sheet reads the same anywhere. */
export async function buildDataSheet(certificate: Certificate, locale: Locale, now: Date = new Date()): Promise<DataSheet> {
  const t = createI18n(locale).t;
  const holder = certificate.holder;
  const sha1 = formatFingerprint(await fingerprint(certificate.der, 'SHA-1'));
  const sha256 = formatFingerprint(certificate.fingerprintSha256);
  const key = certificate.keyAlgorithm;
  const rows: DataSheetRow[] = [
    { label: t('export.sheet.holder'), value: [holder.commonName ?? certificate.subject] },
    ...(holder.serialNumber ? [{ label: t('export.sheet.holderId'), value: [holder.serialNumber] }] : []),
    ...(holder.organization ? [{ label: t('export.sheet.organization'), value: [[holder.organization, holder.organizationIdentifier].filter(Boolean).join(', ')] }] : []),
    { label: t('export.sheet.subject'), value: [certificate.subject] },
    { label: t('export.sheet.issuer'), value: [certificate.issuer] },
    { label: t('export.sheet.serial'), value: [certificate.serialNumber] },
    { label: t('export.sheet.validFrom'), value: [`${formatDateTime(certificate.notBefore, locale, 'UTC')} UTC`] },
    { label: t('export.sheet.validUntil'), value: [`${formatDateTime(certificate.notAfter, locale, 'UTC')} UTC`] },
    { label: t('export.sheet.sha1'), value: [sha1] },
    { label: t('export.sheet.sha256'), value: [sha256] },
    { label: t('export.sheet.key'), value: [[key.name, key.size ? `${key.size} bit` : null, key.curve].filter(Boolean).join(' ')] },
    { label: t('export.sheet.keyUsage'), value: keyUsageWords(certificate, t) },
    { label: t('export.sheet.qcStatements'), value: qcWords(certificate, t) },
  ];
  return {
    title: t('export.sheet.title'),
    subtitle: certificate.isQualified ? t('export.sheet.qualified') : t('export.sheet.notQualified'),
    rows,
    footer: t('export.sheet.footer', { date: `${formatDateTime(now, locale, 'UTC')} UTC` }),
  };
}

function keyUsageWords(certificate: Certificate, t: TFunction): string[] {
  const usages = certificate.keyUsages;
  if (usages === null) return [t('export.keyUsage.unrestricted')];
  return usages.map((u) => (knownKeyUsages.has(u) ? t(`export.keyUsage.${u}`) : u));
}

function qcWords(certificate: Certificate, t: TFunction): string[] {
  const qc = certificate.qcStatements;
  const out: string[] = [];
  if (qc.compliance) out.push(t('export.qc.compliance'));
  if (qc.sscd) out.push(t('export.qc.sscd'));
  for (const type of qc.types) out.push(type === 'esign' || type === 'eseal' || type === 'web' ? t(`export.qc.type.${type}`) : t('export.qc.type.other', { oid: type }));
  if (qc.semanticsId === semanticsIds.natural) out.push(t('export.qc.naturalPerson'));
  if (qc.semanticsId === semanticsIds.legal) out.push(t('export.qc.legalPerson'));
  if (qc.retentionPeriodYears !== null) out.push(t('export.qc.retention', { count: qc.retentionPeriodYears }));
  if (qc.limitValue) out.push(t('export.qc.limit', { amount: qc.limitValue.amount * 10 ** qc.limitValue.exponent, currency: qc.limitValue.currency }));
  if (qc.legislationCountries.length > 0) out.push(t('export.qc.legislation', { countries: qc.legislationCountries.join(', ') }));
  for (const pds of qc.pds) out.push(t('export.qc.pds', { url: pds.url, language: pds.language }));
  if (out.length === 0) out.push(t('export.qc.none'));
  return out;
}
