/** A certificate object the app could not parse: shown with its translated problem, never hidden. */
import { useTranslation } from 'react-i18next';
import type { UnreadableCertificate } from '../../../src-shared/contract/index.js';

export function UnreadableCertificateRow({ entry }: { entry: UnreadableCertificate }) {
  const { t } = useTranslation();
  return (
    <li className="certificate certificate--unreadable" data-testid="certificate-row" data-readable="false">
      <div className="certificate__head">
        <h3 className="certificate__holder">{entry.objectLabel || t('certificate.unreadable')}</h3>
        <span className="chip chip--error">
          <span className="chip__symbol" aria-hidden="true">
            ✕
          </span>
          {t('certificate.unreadable')}
        </span>
      </div>
      <p className="problem">{t(`errors.${entry.problem.code}`, { defaultValue: t('errorFallback') })}</p>
      <p className="error-code">{t('cards.errorCode', { code: entry.problem.code })}</p>
    </li>
  );
}
