/** One readable certificate: who, issued by whom, serial, until when, key on card, fingerprint. */
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { CertificateSummary } from '../../../src-shared/contract/index.js';
import { formatDate, formatDateTime, type Locale } from '../../../src-shared/i18n/core.js';
import { holderName, issuerName } from '../model/card-view.js';
import { expiryState } from '../model/expiry.js';
import { ExpiryChip } from './expiry-chip.js';
import { HexText } from './hex-text.js';

function keyDescription(key: CertificateSummary['keyAlgorithm']): string {
  return [key.name, key.curve ?? (key.size === null ? null : String(key.size))].filter(Boolean).join(' ');
}

/** `replaced`: a completed renewal replaced it; it says so instead of counting down to its expiry. */
export function CertificateRow({ certificate, locale, now, replaced }: { certificate: CertificateSummary; locale: Locale; now: Date; replaced: boolean }) {
  const { t } = useTranslation();
  const headingId = useId();
  const state = expiryState(certificate, now);
  return (
    <li className="certificate" data-testid="certificate-row" data-replaced={replaced} data-serial={certificate.serialNumber} data-fingerprint={certificate.fingerprintSha256}>
      <article aria-labelledby={headingId}>
        <div className="certificate__head">
          <h3 id={headingId} className="certificate__holder">
            {holderName(certificate)}
          </h3>
          <div className="certificate__badges">
            {replaced ? (
              <span className="chip chip--info" data-testid="certificate-replaced" title={t('replaced.note')}>
                <span className="chip__symbol" aria-hidden="true">
                  ↻
                </span>
                {t('replaced.chip')}
              </span>
            ) : (
              <ExpiryChip state={state} />
            )}
            {certificate.qualified && (
              <span className="badge badge--qualified" title={t('certificate.qualifiedLong')}>
                {t('certificate.qualified')}
              </span>
            )}
            {certificate.isCertificateAuthority && <span className="badge">{t('certificate.authority')}</span>}
          </div>
        </div>
        <dl className="facts">
          <div className="facts__item">
            <dt>{t('certificate.issuer')}</dt>
            <dd>{issuerName(certificate)}</dd>
          </div>
          <div className="facts__item">
            <dt>{t('certificate.validUntil')}</dt>
            <dd>
              <time dateTime={certificate.notAfter}>{formatDate(certificate.notAfter, locale)}</time>
            </dd>
          </div>
          <div className="facts__item">
            <dt>{t('certificate.serial')}</dt>
            <dd className="mono hex">
              <HexText hex={certificate.serialNumber} />
            </dd>
          </div>
          <div className="facts__item">
            <dt>{t('certificate.privateKey')}</dt>
            <dd>{certificate.hasPrivateKey ? t('certificate.yes') : t('certificate.no')}</dd>
          </div>
          <div className="facts__item facts__item--wide">
            <dt>{t('certificate.fingerprint')}</dt>
            <dd className="mono mono--small hex">
              <HexText hex={certificate.fingerprintSha256} />
            </dd>
          </div>
        </dl>
        <details className="certificate__details">
          <summary>{t('certificate.details')}</summary>
          <dl className="facts facts--details">
            <div className="facts__item facts__item--wide">
              <dt>{t('certificate.holder')}</dt>
              <dd>{certificate.subject}</dd>
            </div>
            <div className="facts__item facts__item--wide">
              <dt>{t('certificate.issuer')}</dt>
              <dd>{certificate.issuer}</dd>
            </div>
            <div className="facts__item">
              <dt>{t('certificate.validFrom')}</dt>
              <dd>
                <time dateTime={certificate.notBefore}>{formatDateTime(certificate.notBefore, locale)}</time>
              </dd>
            </div>
            <div className="facts__item">
              <dt>{t('certificate.validUntil')}</dt>
              <dd>
                <time dateTime={certificate.notAfter}>{formatDateTime(certificate.notAfter, locale)}</time>
              </dd>
            </div>
            <div className="facts__item">
              <dt>{t('certificate.key')}</dt>
              <dd>{keyDescription(certificate.keyAlgorithm)}</dd>
            </div>
            <div className="facts__item">
              <dt>{t('certificate.objectLabel')}</dt>
              <dd>
                {certificate.objectLabel} <span className="mono mono--small">({certificate.objectId})</span>
              </dd>
            </div>
          </dl>
        </details>
      </article>
    </li>
  );
}
