/** Who and what an order is for, in words: the holder, the card (its name when it is present) and the renewal path. */
import { useTranslation } from 'react-i18next';
import type { StoredOrder } from '../../../../src-shared/contract/index.js';
import type { CardView } from '../../model/card-view.js';

export function OrderFacts({ order, card }: { order: StoredOrder; card: CardView | null }) {
  const { t } = useTranslation();
  const serial = order.certificate.tokenSerial ?? card?.serialNumber ?? null;
  const cardWords = card ? t('orderCard.cardNamed', { label: card.label, serial: card.serialNumber }) : serial ? t('orderCard.cardSerial', { serial }) : null;
  return (
    <dl className="facts" data-testid="order-facts">
      <div className="facts__item">
        <dt>{t('orderCard.holder')}</dt>
        <dd data-testid="order-holder">{order.certificate.commonName ?? '—'}</dd>
      </div>
      {cardWords && (
        <div className="facts__item">
          <dt>{t('orderCard.card')}</dt>
          <dd data-testid="order-card-name">{cardWords}</dd>
        </div>
      )}
      <div className="facts__item">
        <dt>{t('orderCard.path')}</dt>
        <dd data-testid="order-path" data-path={order.path}>
          {t(`orderCard.paths.${order.path}`)}
        </dd>
      </div>
    </dl>
  );
}
