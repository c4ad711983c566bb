/** A native, labelled <select> of the four languages, each named in its own language. */
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { isLocale, localeNames, supportedLocales, type Locale } from '../../../src-shared/i18n/core.js';

export function LanguagePicker({ locale, onChange }: { locale: Locale; onChange: (locale: Locale) => void }) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <div className="language-picker">
      <label htmlFor={id}>{t('language.label')}</label>
      <select
        id={id}
        value={locale}
        onChange={(event) => {
          if (isLocale(event.target.value)) onChange(event.target.value);
        }}
      >
        {supportedLocales.map((option) => (
          <option key={option} value={option} lang={option}>
            {localeNames[option]}
          </option>
        ))}
      </select>
    </div>
  );
}
