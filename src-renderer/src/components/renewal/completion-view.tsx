/**
 * The finish line of a renewal: the new certificate (holder, valid from–to, serial), "Save a copy for your
 * bank" in every export format with the data sheet first, and what to do next in the holder's market.
 */
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { CertificateSummary, ObnovaApi, StoredOrder } from '../../../../src-shared/contract/index.js';
import { formatDate, type Locale } from '../../../../src-shared/i18n/core.js';
import { exportFormats, useCertificateExport } from '../../hooks/use-certificate-export.js';
import { useFocusOnShow } from '../../hooks/use-focus-on-show.js';
import { holderName } from '../../model/card-view.js';
import { ErrorAlert } from '../error-alert.js';
import { HexText } from '../hex-text.js';

const nextSteps = ['banks', 'portals', 'old'] as const;

/** `focusOnShow`: the holder just received here, so focus (and the screen reader) moves to the result. */
export function CompletionView(props: { api: ObnovaApi; order: StoredOrder; certificate: CertificateSummary | null; locale: Locale; focusOnShow: boolean }) {
  const { api, order, certificate, locale, focusOnShow } = props;
  const { t } = useTranslation();
  const headingId = useId();
  const heading = useFocusOnShow<HTMLHeadingElement>(focusOnShow);
  const { state, save, status } = useCertificateExport(api, locale);
  const serial = certificate?.serialNumber ?? order.newCertificateSerial;
  return (
    <section className="completion" aria-labelledby={headingId} data-testid="completion-view">
      <h3 ref={heading} id={headingId} className="completion__title" tabIndex={-1} data-testid="completion-heading">
        {t('completion.heading')}
      </h3>
      <p>{t('completion.intro')}</p>
      <dl className="facts completion__facts">
        <div className="facts__item">
          <dt>{t('completion.holder')}</dt>
          <dd data-testid="completion-holder">{certificate ? holderName(certificate) : (order.certificate.commonName ?? '')}</dd>
        </div>
        <div className="facts__item">
          <dt>{t('completion.validity')}</dt>
          <dd data-testid="completion-validity">
            {certificate ? t('completion.validRange', { from: formatDate(certificate.notBefore, locale), until: formatDate(certificate.notAfter, locale) }) : t('completion.notPresent')}
          </dd>
        </div>
        {serial && (
          <div className="facts__item">
            <dt>{t('completion.serial')}</dt>
            <dd className="mono hex" data-testid="completion-serial" data-serial={serial}>
              <HexText hex={serial} />
            </dd>
          </div>
        )}
      </dl>
      {certificate && (
        <section className="completion__save" aria-labelledby={`${headingId}-save`} data-testid="completion-save">
          <h4 id={`${headingId}-save`}>{t('completion.saveHeading')}</h4>
          <p>{t('completion.saveIntro')}</p>
          <div className="form-actions">
            {exportFormats.map((format, index) => (
              <button key={format} type="button" className={index === 0 ? 'button button--primary' : 'button'} disabled={state.phase === 'saving'} onClick={() => save(certificate, format)} data-testid={`completion-save-${format}`}>
                {t(`export.formats.${format}`)}
              </button>
            ))}
          </div>
          <p className="status" role="status" aria-live="polite" data-testid="completion-save-status">
            {status}
          </p>
          {state.phase === 'error' && <ErrorAlert error={state.error} testId="completion-save-error" />}
        </section>
      )}
      <h4>{t('completion.nextHeading')}</h4>
      <ul className="completion__next" data-testid="completion-next" data-market={order.market}>
        {nextSteps.map((step) => (
          <li key={step}>{t(`completion.next.${order.market}.${step}`)}</li>
        ))}
      </ul>
    </section>
  );
}
