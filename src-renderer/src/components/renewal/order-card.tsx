/**
 * One order as the holder reads it: where it stands (step indicator and status), then what to do now —
 * receive when ready, the finish once completed, the payment while it is awaited — then who and what it is
 * for, the invoice and the history; the order's own numbers sit behind "Technical details".
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ObnovaApi, StoredOrder } from '../../../../src-shared/contract/index.js';
import { formatDateTime, intlTags, type Locale } from '../../../../src-shared/i18n/core.js';
import type { CardView } from '../../model/card-view.js';
import { cardOfOrder, newCertificateOfOrder } from '../../model/order-certificates.js';
import { formatMoney } from '../../model/renewal-certificates.js';
import { downloadFile } from '../../model/renewal-download.js';
import { stepOfOrder } from '../../model/renewal-step.js';
import { CompletionView } from './completion-view.js';
import { InvoicePreview } from './invoice-preview.js';
import { NewCardPanel } from './new-card-panel.js';
import { OrderFacts } from './order-facts.js';
import { PaymentDetails } from './payment-details.js';
import { ReceivePanel } from './receive-panel.js';
import { StepIndicator } from './step-indicator.js';
import { useFocusOnShow } from '../../hooks/use-focus-on-show.js';

export function OrderCard(props: { api: ObnovaApi; order: StoredOrder; cards: readonly CardView[]; locale: Locale; focus: boolean; onChanged: () => void; onUnblockPin: (slotId: string) => void }) {
  const { api, order, cards, locale, onChanged, onUnblockPin } = props;
  const { t } = useTranslation();
  const heading = useFocusOnShow<HTMLHeadingElement>(props.focus);
  // Kept open after a receive in this window, so the holder sees every step done and the closing message.
  const [receivedHere, setReceivedHere] = useState(false);
  const canReceive = receivedHere || (order.path === 'existing-media' && (order.status === 'ready-for-pickup' || order.status === 'issued'));
  const newCardOnItsWay = order.path === 'new-media' && ['card-in-production', 'card-shipped', 'issued'].includes(order.status);
  const step = stepOfOrder(order.status);
  const saveInvoice = (): void => {
    void api.getInvoice({ orderId: order.orderId }).then((r) => r.ok && downloadFile(r.value.fileName, r.value.mimeType, r.value.base64));
  };
  return (
    <article className="token-card order-card" data-testid="order-card" data-order={order.orderId} data-status={order.status}>
      <h2 ref={heading} tabIndex={-1} className="token-card__label" data-testid="order-heading">{order.certificate.commonName ?? t('renewalTrack.order', { id: order.orderId })}</h2>
      {step && <StepIndicator current={step} />}
      <p className="days-to-expiry__value" data-testid="order-status">
        {t(`renewalTrack.status.${order.status}`)}
      </p>
      {order.status === 'completed' && <CompletionView api={api} order={order} certificate={newCertificateOfOrder(order, cards)} locale={locale} focusOnShow={receivedHere} />}
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
      {order.status === 'awaiting-payment' && <PaymentDetails order={order} locale={locale} />}
      {newCardOnItsWay && <NewCardPanel api={api} orderId={order.orderId} onChanged={onChanged} />}
      <OrderFacts order={order} card={cardOfOrder(order, cards)} />
      <dl className="facts">
        <div className="facts__item">
          <dt>{t('renewalTrack.invoice', { number: order.invoice.number })}</dt>
          <dd>{t('renewalTrack.amount', { amount: formatMoney(order.invoice.amount.gross, order.invoice.currency, intlTags[locale]) })}</dd>
        </div>
      </dl>
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
      <details className="certificate__details">
        <summary>{t('orderCard.technical')}</summary>
        <dl className="facts facts--details">
          <div className="facts__item">
            <dt>{t('orderCard.orderNumber')}</dt>
            <dd className="mono">{order.orderId}</dd>
          </div>
          <div className="facts__item">
            <dt>{t('orderCard.oldSerial')}</dt>
            <dd className="mono">{order.certificate.serialNumber}</dd>
          </div>
        </dl>
      </details>
    </article>
  );
}
