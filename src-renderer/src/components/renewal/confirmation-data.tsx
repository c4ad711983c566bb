/** The certificate data the holder confirms before signing, each with its label (name, personal number, organisation, country). */
import { useTranslation } from 'react-i18next';
import type { OrderPreparation } from '../../../../src-shared/contract/index.js';
import type { Locale } from '../../../../src-shared/i18n/core.js';
import { countryName } from './country-field.js';

export function ConfirmationData({ holder, locale }: { holder: OrderPreparation['holder']; locale: Locale }) {
  const { t } = useTranslation();
  const country = holder.country ? countryName(holder.country, locale) : null;
  const rows: Array<[key: string, value: string | null]> = [
    ['name', holder.commonName],
    ['personalNumber', holder.serialNumber],
    ['organization', holder.organization],
    ['email', holder.email],
    ['country', country],
  ];
  return (
    <dl className="facts" data-testid="confirm-data">
      {rows
        .filter((row): row is [string, string] => Boolean(row[1]))
        .map(([key, value]) => (
          <div className="facts__item" key={key} data-field={key}>
            <dt>{t(`confirmData.${key}`)}</dt>
            <dd>{value}</dd>
          </div>
        ))}
    </dl>
  );
}
