/**
 * Which expiry reminders the desktop shell shows as system notifications: each due certificate at most
 * once per local calendar day, however often the app starts or checks. Pure: the state goes in and out.
 */
import type { Locale } from '../../src-shared/contract/schemas/app.js';
import type { Reminder } from '../../src-shared/contract/schemas/reminders.js';
import { formatDate, sharedI18n } from '../../src-shared/i18n/index.js';

/** Certificate fingerprint → the local day ("YYYY-MM-DD") it was last notified. */
export type NotifiedState = Record<string, string>;

/** The local calendar day of `now`, as "YYYY-MM-DD". */
export function localDay(now: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/**
 * The reminders to notify now and the state to keep: those not yet notified today. Certificates no longer
 * due are dropped from the state, so a renewed card's old entry does not linger.
 */
export function planReminderNotifications(reminders: readonly Reminder[], state: NotifiedState, now: Date): { notify: Reminder[]; state: NotifiedState } {
  const today = localDay(now);
  const next: NotifiedState = {};
  const notify: Reminder[] = [];
  for (const reminder of reminders) {
    const key = reminder.fingerprintSha256;
    if (key in next) continue; // the same certificate on two cards: one notification
    if (state[key] !== today) notify.push(reminder);
    next[key] = today;
  }
  return { notify, state: next };
}

/** Title and body of the notification for one reminder, in `locale` (the same words as the window's banner). */
export function notificationText(reminder: Reminder, locale: Locale): { title: string; body: string } {
  const t = sharedI18n().getFixedT(locale);
  const words = { name: reminder.subjectCommonName ?? reminder.serialNumber, token: reminder.tokenLabel, date: formatDate(reminder.notAfter, locale), interpolation: { escapeValue: false } };
  return { title: t('reminders.notificationTitle'), body: t(reminder.expired ? 'reminders.bannerExpired' : 'reminders.banner', words) };
}
