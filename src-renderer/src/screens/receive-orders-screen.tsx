/**
 * Track and Receive: the stored orders with status, history and invoice, refreshed by polling the service;
 * an order ready for pickup offers Receive. Orders outlive closing the app and removing the card.
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import '../components/renewal/renewal.css';
import { ServiceWaitBanner } from '../components/renewal/service-wait-banner.js';
import type { ObnovaApi, StoredOrder } from '../../../src-shared/contract/index.js';
import { formatDate, formatDateTime, intlTags, type Locale } from '../../../src-shared/i18n/core.js';
import { InvoicePreview } from '../components/renewal/invoice-preview.js';
import { NewCardPanel } from '../components/renewal/new-card-panel.js';
import { PaymentQr } from '../components/renewal/payment-qr.js';
import { ReceivePanel } from '../components/renewal/receive-panel.js';
import { downloadFile } from '../model/renewal-download.js';
import { formatMoney } from '../model/renewal-certificates.js';
import { ScreenHead } from '../components/screen-head.js';

/** Statuses after which nothing changes any more: no polling. */
const final = new Set(['completed', 'cancelled', 'expired', 'rejected']);
const pollMs = 15_000;

function OrderCard({ api, order, locale, onChanged, onUnblockPin }: { api: ObnovaApi; order: StoredOrder; locale: Locale; onChanged: () => void; onUnblockPin: (slotId: string) => void }) {
  const { t } = useTranslation();
  // Kept open after a receive in this window, so the holder sees every step done and the closing message.
  const [receivedHere, setReceivedHere] = useState(false);
  const canReceive = receivedHere || (order.path === 'existing-media' && (order.status === 'ready-for-pickup' || order.status === 'issued'));
  const newCardOnItsWay = order.path === 'new-media' && ['card-in-production', 'card-shipped', 'issued'].includes(order.status);
  const saveInvoice = (): void => {
    void api.getInvoice({ orderId: order.orderId }).then((r) => r.ok && downloadFile(r.value.fileName, r.value.mimeType, r.value.base64));
  };
  return (
    <article className="token-card" data-testid="order-card" data-order={order.orderId} data-status={order.status}>
      <h2 className="token-card__label">{t('renewalTrack.order', { id: order.orderId })}</h2>
      <p className="days-to-expiry__value" data-testid="order-status">
        {t(`renewalTrack.status.${order.status}`)}
      </p>
      <dl className="facts">
        <div className="facts__item">
          <dt>{t('renewalTrack.invoice', { number: order.invoice.number })}</dt>
          <dd>{t('renewalTrack.amount', { amount: formatMoney(order.invoice.amount.gross, order.invoice.currency, intlTags[locale]) })}</dd>
          <dd className="mono">{t('renewalTrack.reference', { reference: order.invoice.reference })}</dd>
          {order.status === 'awaiting-payment' && <dd>{t('renewalTrack.due', { date: formatDate(order.invoice.dueAt, locale) })}</dd>}
        </div>
      </dl>
      {order.status === 'awaiting-payment' && <PaymentQr market={order.market} payload={order.invoice.qrPayload} alt={t('renewalTrack.qrAlt')} />}
      <button type="button" className="button" onClick={saveInvoice} data-testid="order-invoice">
        {t('renewalTrack.saveInvoice')}
      </button>
      <InvoicePreview api={api} orderId={order.orderId} invoiceNumber={order.invoice.number} />
      <h3>{t('renewalTrack.timeline')}</h3>
      <ol className="timeline">
        {order.timeline.map((e) => (
          <li key={`${e.status}-${e.at}`}>
            <time dateTime={e.at}>{formatDateTime(e.at, locale)}</time> — {t(`renewalTrack.status.${e.status}`)}
          </li>
        ))}
      </ol>
      {canReceive && (
        <ReceivePanel
          api={api}
          orderId={order.orderId}
          fingerprintSha256={order.certificate.fingerprintSha256}
          onUnblockPin={onUnblockPin}
          onDone={() => {
            setReceivedHere(true);
            onChanged();
          }}
        />
      )}
      {newCardOnItsWay && <NewCardPanel api={api} orderId={order.orderId} onChanged={onChanged} />}
    </article>
  );
}

export function ReceiveOrdersScreen({ api, locale, onUnblockPin }: { api: ObnovaApi; locale: Locale; onUnblockPin: (slotId: string) => void }) {
  const { t } = useTranslation();
  const [orders, setOrders] = useState<StoredOrder[] | null>(null);

  // Asks the service only about orders that can still change; a failed refresh keeps what is known.
  const refresh = useCallback((): void => {
    void api
      .listOrders({})
      .then(async (list) => {
        if (!list.ok) return null;
        for (const o of list.value.orders) if (!final.has(o.status)) await api.refreshOrder({ orderId: o.orderId });
        const again = await api.listOrders({});
        return again.ok ? again.value.orders : list.value.orders;
      })
      .then((next) => next && setOrders(next));
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
      {orders !== null && orders.length === 0 && <p className="notice">{t('renewalTrack.none')}</p>}
      <div className="token-cards">
        {orders?.map((order) => (
          <OrderCard key={order.orderId} api={api} order={order} locale={locale} onChanged={refresh} onUnblockPin={onUnblockPin} />
        ))}
      </div>
    </>
  );
}
