/** The banner: product name, what it is for, and the language picker. */
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../../src-shared/i18n/core.js';
import { LanguagePicker } from './language-picker.js';

export function AppHeader({ locale, onLocaleChange }: { locale: Locale; onLocaleChange: (locale: Locale) => void }) {
  const { t } = useTranslation();
  return (
    <header className="app-header">
      <div className="app-header__inner">
        <div className="brand">
          <span className="brand__mark" aria-hidden="true">O</span>
          <span className="brand__text">
            <span className="brand__name">{t('app.name')}</span>
            <span className="brand__tagline">{t('app.tagline')}</span>
          </span>
        </div>
        <LanguagePicker locale={locale} onChange={onLocaleChange} />
      </div>
    </header>
  );
}
