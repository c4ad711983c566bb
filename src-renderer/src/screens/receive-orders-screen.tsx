/**
 * Track and Receive: the stored orders with status, history and invoice, refreshed by polling the service;
 * an order ready for pickup offers Receive. Orders outlive closing the app and removing the card.
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import '../components/renewal/renewal.css';
import '../components/renewal/finish.css';
import { ServiceWaitBanner } from '../components/renewal/service-wait-banner.js';
import type { ObnovaApi, OrderList } from '../../../src-shared/contract/index.js';
import type { Locale } from '../../../src-shared/i18n/core.js';
import { OrderCard } from '../components/renewal/order-card.js';
import { SendingOrderCard } from '../components/renewal/sending-order-card.js';
import { useCardList } from '../hooks/use-card-list.js';
import { ScreenHead } from '../components/screen-head.js';

/** Statuses after which nothing changes any more: no polling. */
const final = new Set(['completed', 'cancelled', 'expired', 'rejected']);
const pollMs = 15_000;

/** `focusOrderId`: the order just placed, whose heading takes the focus when it is shown. */
export function ReceiveOrdersScreen(props: { api: ObnovaApi; locale: Locale; onUnblockPin: (slotId: string) => void; focusOrderId?: string | null }) {
  const { api, locale, onUnblockPin, focusOrderId = null } = props;
  const { t } = useTranslation();
  const [list, setList] = useState<OrderList | null>(null);
  // The present cards name each order's card and hold the new certificate the finish shows.
  const { state: cardList, refresh: refreshCards } = useCardList(api);
  const cards = cardList.phase === 'ready' ? cardList.cards : [];

  // Orders still being sent go again first (the same signed bytes); then the service is asked only about
  // orders that can still change. A failed try keeps what is known.
  const refresh = useCallback((): void => {
    void api
      .listOrders({})
      .then(async (first) => {
        if (!first.ok) return null;
        for (const entry of first.value.sending) await api.resendOrder({ id: entry.id });
        for (const o of first.value.orders) if (!final.has(o.status)) await api.refreshOrder({ orderId: o.orderId });
        const again = await api.listOrders({});
        return again.ok ? again.value : first.value;
      })
      .then((next) => next && setList(next));
  }, [api]);

  useEffect(() => {
    refresh();
    const timer = setInterval(refresh, pollMs);
    return () => clearInterval(timer);
  }, [refresh]);

  return (
    <>
      <ScreenHead title={t('renewalTrack.heading')} intro={t('renewalTrack.intro')}>
        <button type="button" className="button" onClick={refresh} data-testid="orders-refresh">
          {t('renewalTrack.refresh')}
        </button>
      </ScreenHead>
      <ServiceWaitBanner api={api} locale={locale} />
      {list !== null && list.orders.length === 0 && list.sending.length === 0 && <p className="notice">{t('renewalTrack.none')}</p>}
      <div className="token-cards">
        {list?.sending.map((entry) => (
          <SendingOrderCard key={entry.id} api={api} entry={entry} locale={locale} onChanged={refresh} />
        ))}
        {list?.orders.map((order) => (
          <OrderCard
            key={order.orderId}
            api={api}
            order={order}
            cards={cards}
            onUnblockPin={onUnblockPin}
            focus={order.orderId === focusOrderId}
            locale={locale}
            onChanged={() => {
              refresh();
              refreshCards();
            }}
          />
        ))}
      </div>
    </>
  );
}
