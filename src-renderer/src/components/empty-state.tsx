/** No card present: say so and say what to do. */
import { useTranslation } from 'react-i18next';

export function EmptyState() {
  const { t } = useTranslation();
  return (
    <div className="panel panel--empty">
      <h2 className="panel__title">{t('cards.emptyTitle')}</h2>
      <p>{t('cards.emptyText')}</p>
    </div>
  );
}
