/** Paying the pro-forma invoice: the QR for the banking app with, beside it, the payee, account, reference, amount and due date in words. */
import { useTranslation } from 'react-i18next';
import type { StoredOrder } from '../../../../src-shared/contract/index.js';
import { formatDate, intlTags, type Locale } from '../../../../src-shared/i18n/core.js';
import { paymentPayee } from '../../model/payment-payee.js';
import { formatMoney } from '../../model/renewal-certificates.js';
import { PaymentQr } from './payment-qr.js';

export function PaymentDetails({ order, locale }: { order: StoredOrder; locale: Locale }) {
  const { t } = useTranslation();
  const payee = paymentPayee(order.market, order.invoice.qrPayload);
  type Row = readonly [label: string, value: string, testId: string, mono?: boolean];
  const payeeRows: Row[] = payee ? [[t('payment.payee'), payee.name, 'payment-payee'], [t(payee.iban ? 'payment.account' : 'payment.accountDomestic'), payee.account, 'payment-account', true]] : [];
  const rows: Row[] = [
    ...payeeRows,
    [t('payment.reference'), order.invoice.reference, 'payment-reference', true],
    [t('payment.amount'), formatMoney(order.invoice.amount.gross, order.invoice.currency, intlTags[locale]), 'payment-amount'],
    [t('payment.due'), formatDate(order.invoice.dueAt, locale), 'payment-due'],
  ];
  return (
    <section className="payment" aria-label={t('payment.heading')} data-testid="payment-details">
      <h3 className="payment__title">{t('payment.heading')}</h3>
      <p className="payment__hint">{t('payment.hint')}</p>
      <div className="payment__body">
        <PaymentQr market={order.market} payload={order.invoice.qrPayload} alt={t('renewalTrack.qrAlt')} />
        <dl className="payment__facts">
          {rows.map(([label, value, testId, mono]) => (
            <div key={testId} className="payment__row">
              <dt>{label}</dt>
              <dd className={mono ? 'mono' : undefined} data-testid={testId}>
                {value}
              </dd>
            </div>
          ))}
        </dl>
      </div>
    </section>
  );
}
