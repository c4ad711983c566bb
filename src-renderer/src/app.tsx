/** The window: skip link, banner with the language picker, the section navigation and the chosen screen. */
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ObnovaApi } from '../../src-shared/contract/index.js';
import { AppHeader } from './components/app-header.js';
import { ReminderBanner } from './components/diagnostics/reminder-banner.js';
import { useLocale } from './hooks/use-locale.js';
import { useOpenedLinks, type OpenedLink } from './hooks/use-opened-links.js';
import { CardListScreen } from './screens/card-list-screen.js';
import { DiagnosticsScreen } from './screens/diagnostics-screen.js';
import { ExportScreen } from './screens/export-screen.js';
import { PinScreen } from './screens/pin-screen.js';
import { ReceiveOrdersScreen } from './screens/receive-orders-screen.js';
import { RenewalOrderScreen } from './screens/renewal-order-screen.js';
import { SettingsScreen } from './screens/settings-screen.js';

type Screen = 'cards' | 'renewal' | 'orders' | 'export' | 'pin' | 'diagnostics' | 'settings';
const screens: readonly Screen[] = ['cards', 'renewal', 'orders', 'export', 'pin', 'diagnostics', 'settings'];
/** Nav labels kept with their screens' words (renewal.*, export.*), the rest under nav.*. */
const navKey = (name: Screen): string => (name === 'renewal' ? 'renewal.nav' : name === 'orders' ? 'renewalTrack.nav' : name === 'export' ? 'export.open' : `nav.${name}`);

export function App({ api }: { api: ObnovaApi }) {
  const { t } = useTranslation();
  const { locale, chooseLocale } = useLocale(api);
  const [screen, setScreen] = useState<Screen>('cards');
  /** The card a renewal step sent the holder to unblock (its PIN is locked): the PIN screen opens on it. */
  const [pinSlot, setPinSlot] = useState<string | undefined>(undefined);
  const unblockPin = useCallback((slotId: string) => {
    setPinSlot(slotId);
    setScreen('pin');
  }, []);
  /** The order just placed: My orders opens with focus on it, so the next step (paying) is read first. */
  const [placedOrder, setPlacedOrder] = useState<string | null>(null);
  // "Your certificate is ready" links open the orders; a renewal link opens the renewal start.
  useOpenedLinks(api, useCallback((link: OpenedLink) => setScreen(link.kind === 'order' ? 'orders' : 'renewal'), []));
  return (
    <>
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <AppHeader locale={locale} onLocaleChange={chooseLocale} />
      <main id="main" className="app-main" tabIndex={-1}>
        <nav className="app-nav" aria-label={t('nav.label')}>
          {screens.map((name) => (
            <button key={name} type="button" className="app-nav__item" aria-current={screen === name ? 'page' : undefined} onClick={() => setScreen(name)}>
              {t(navKey(name))}
            </button>
          ))}
        </nav>
        <ReminderBanner api={api} locale={locale} onRenew={() => setScreen('renewal')} />
        {screen === 'cards' && <CardListScreen api={api} locale={locale} />}
        {screen === 'renewal' && (
          <RenewalOrderScreen
            api={api}
            locale={locale}
            onOrdered={(order) => {
              setPlacedOrder(order?.orderId ?? null);
              setScreen('orders');
            }}
            onUnblockPin={unblockPin}
          />
        )}
        {screen === 'orders' && <ReceiveOrdersScreen api={api} locale={locale} onUnblockPin={unblockPin} focusOrderId={placedOrder} />}
        {screen === 'export' && <ExportScreen api={api} locale={locale} />}
        {screen === 'pin' && <PinScreen api={api} slotId={pinSlot} />}
        {screen === 'diagnostics' && <DiagnosticsScreen api={api} locale={locale} />}
        {screen === 'settings' && <SettingsScreen api={api} onLanguage={chooseLocale} />}
      </main>
    </>
  );
}
