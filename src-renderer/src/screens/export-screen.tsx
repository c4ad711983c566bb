/** Export: save the certificate as the printable data sheet, DER, PEM or PKCS#7 chain (a download; Electron asks where). */
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import '../components/renewal/renewal.css';
import type { ExportFormatName, ObnovaApi } from '../../../src-shared/contract/index.js';
import type { Locale } from '../../../src-shared/i18n/core.js';
import { CertificatePicker } from '../components/renewal/certificate-picker.js';
import { ErrorAlert } from '../components/error-alert.js';
import { useCertificateChoice } from '../hooks/use-certificate-choice.js';
import { exportFormats, useCertificateExport } from '../hooks/use-certificate-export.js';
import { ScreenHead } from '../components/screen-head.js';

export function ExportScreen({ api, locale }: { api: ObnovaApi; locale: Locale }) {
  const { t } = useTranslation();
  const statusId = useId();
  const formatName = useId();
  const { cards, options, selectedKey, selected, choose } = useCertificateChoice(api);
  const [format, setFormat] = useState<ExportFormatName>('pdf');
  const { state: save, save: run, status } = useCertificateExport(api, locale);

  return (
    <>
      <ScreenHead title={t('export.heading')} intro={t('export.intro')} />
      {cards.phase === 'ready' && options.length === 0 && <p className="notice">{t('renewal.noCertificates')}</p>}
      {options.length > 0 && (
        <form
          className="renewal-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (selected) run(selected, format);
          }}
        >
          <CertificatePicker options={options} value={selectedKey} onChange={choose} locale={locale} label={t('export.certificate')} />
          <fieldset className="field">
            <legend className="field__label">{t('export.format')}</legend>
            {exportFormats.map((f) => (
              <label key={f} className="choice">
                <input type="radio" name={formatName} value={f} checked={format === f} onChange={() => setFormat(f)} data-testid={`export-format-${f}`} />
                {t(`export.formats.${f}`)}
              </label>
            ))}
          </fieldset>
          <button type="submit" className="button button--primary" disabled={save.phase === 'saving'} aria-describedby={statusId} data-testid="export-save">
            {t('export.save')}
          </button>
        </form>
      )}
      <p id={statusId} className="status" role="status" aria-live="polite" data-testid="export-status">
        {status}
      </p>
      {save.phase === 'error' && <ErrorAlert error={save.error} testId="export-error" />}
    </>
  );
}
