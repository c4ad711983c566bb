/** The window: skip link, banner with the language picker, and the card list as the main content. */
import { useTranslation } from 'react-i18next';
import type { ObnovaApi } from '../../src-shared/contract/index.js';
import { AppHeader } from './components/app-header.js';
import { useLocale } from './hooks/use-locale.js';
import { CardListScreen } from './screens/card-list-screen.js';

export function App({ api }: { api: ObnovaApi }) {
  const { t } = useTranslation();
  const { locale, chooseLocale } = useLocale(api);
  return (
    <>
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <AppHeader locale={locale} onLocaleChange={chooseLocale} />
      <main id="main" className="app-main" tabIndex={-1}>
        <CardListScreen api={api} locale={locale} />
      </main>
    </>
  );
}
