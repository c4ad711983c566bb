/** The words naming a summary group: the card by its label and serial, or the area. */
import type { TFunction } from 'i18next';
import type { SummaryGroup } from '../../model/diagnostics-summary.js';

export function groupName(t: TFunction, group: SummaryGroup): string {
  return group.token ? t('helpdesk.card', { label: group.token.label, serial: group.token.serialNumber }) : t(`diagnostics.area.${group.area}`);
}
