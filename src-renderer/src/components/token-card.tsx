/** One card or USB key: its name and facts, PIN warnings, notices, and the certificates on it. */
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../../src-shared/i18n/core.js';
import type { CardView } from '../model/card-view.js';
import { pinTries, pinTriesMessage } from '../model/pin-tries.js';
import { CertificateRow } from './certificate-row.js';
import { UnreadableCertificateRow } from './unreadable-certificate-row.js';

/** `replaced`: fingerprints of certificates a completed renewal replaced. */
export function TokenCard({ card, locale, now, replaced }: { card: CardView; locale: Locale; now: Date; replaced: ReadonlySet<string> }) {
  const { t } = useTranslation();
  const headingId = useId();
  const tries = card.info ? pinTries(card.info.pin) : 'ok';
  const maker = [card.info?.manufacturer, card.info?.model].filter(Boolean).join(' · ');
  return (
    <section className="token-card" data-testid="token-card" aria-labelledby={headingId}>
      <div className="token-card__head">
        <h2 id={headingId} className="token-card__label">
          {card.label}
        </h2>
        <span className="token-card__count">{t('token.certificates', { count: card.certificates.length })}</span>
      </div>
      <dl className="token-card__facts">
        {card.serialNumber && (
          <div>
            <dt>{t('token.serial')}</dt>
            <dd className="mono">{card.serialNumber}</dd>
          </div>
        )}
        {maker && (
          <div>
            <dt>{t('token.manufacturer')}</dt>
            <dd>{maker}</dd>
          </div>
        )}
        {card.info?.slotDescription && (
          <div>
            <dt>{t('token.reader')}</dt>
            <dd>{card.info.slotDescription}</dd>
          </div>
        )}
      </dl>
      {tries !== 'ok' && <p className={`notice notice--${tries === 'locked' ? 'error' : 'warning'}`}>{t(pinTriesMessage[tries])}</p>}
      {card.notices.map((notice) => (
        <p key={notice.code} className="notice">
          {t(`notices.${notice.code}`)}
        </p>
      ))}
      {card.certificates.length > 0 && (
        <ul className="certificate-list" aria-label={t('certificate.listLabel', { label: card.label })}>
          {card.certificates.map((entry) =>
            entry.readable ? (
              <CertificateRow key={`${entry.objectId}:${entry.fingerprintSha256}`} certificate={entry} locale={locale} now={now} replaced={replaced.has(entry.fingerprintSha256)} />
            ) : (
              <UnreadableCertificateRow key={`${entry.objectId}:${entry.objectLabel}`} entry={entry} />
            ),
          )}
        </ul>
      )}
    </section>
  );
}
