/** A labelled list of the holder's certificates; the first (soonest to expire) is preselected. */
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { CertificateSummary } from '../../../../src-shared/contract/index.js';
import { formatDate, type Locale } from '../../../../src-shared/i18n/core.js';
import { certificateKey } from '../../model/renewal-certificates.js';

export function CertificatePicker(props: { options: CertificateSummary[]; value: string | null; onChange: (key: string) => void; locale: Locale; label: string }) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id} className="field__label">
        {props.label}
      </label>
      <select id={id} className="field__input" data-testid="certificate-picker" value={props.value ?? ''} onChange={(e) => props.onChange(e.target.value)}>
        {props.options.map((c) => (
          <option key={certificateKey(c)} value={certificateKey(c)}>
            {t('renewal.option', { holder: c.subjectCommonName ?? c.subject, card: c.tokenLabel, date: formatDate(c.notAfter, props.locale) })}
          </option>
        ))}
      </select>
    </div>
  );
}
