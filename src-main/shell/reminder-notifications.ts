/**
 * Expiry reminders as system notifications from the Electron shell: checked at start and then daily,
 * each certificate at most once a day (notification-plan.ts); a click brings the window forward.
 */
import { Notification } from 'electron';
import type { Locale } from '../../src-shared/contract/schemas/app.js';
import { resolveLocale } from '../../src-shared/i18n/index.js';
import type { Logger } from '../app/logger.js';
import type { Handlers } from '../ipc/dispatch.js';
import { notificationText, planReminderNotifications } from '../reminders/notification-plan.js';
import { readNotifiedState, writeNotifiedState } from '../reminders/notified-state-file.js';
import { scheduleDaily } from '../reminders/expiry-reminders.js';

export interface ReminderNotificationOptions {
  handlers: Pick<Handlers, 'reminders.list' | 'settings.get' | 'app.info'>;
  appDataDir: string;
  /** The window a click on a notification brings forward. */
  window: { isMinimized(): boolean; restore(): void; show(): void; focus(): void };
  log: Pick<Logger, 'info' | 'warn'>;
  intervalMs?: number;
  now?: () => Date;
}

/** Starts the checks; returns a function that stops them. Does nothing where the OS has no notifications. */
export function startReminderNotifications(options: ReminderNotificationOptions): () => void {
  if (!Notification.isSupported()) return () => undefined;
  const check = async (): Promise<void> => {
    const [list, settings, info] = await Promise.all([options.handlers['reminders.list']({}), options.handlers['settings.get']({}), options.handlers['app.info']({})]);
    const now = options.now?.() ?? new Date();
    const plan = planReminderNotifications(list.reminders, readNotifiedState(options.appDataDir), now);
    const locale: Locale = settings.settings.language ?? resolveLocale(info.systemLocale);
    for (const reminder of plan.notify) {
      const notification = new Notification(notificationText(reminder, locale));
      notification.on('click', () => {
        if (options.window.isMinimized()) options.window.restore();
        options.window.show();
        options.window.focus();
      });
      notification.show();
    }
    writeNotifiedState(options.appDataDir, plan.state);
    if (plan.notify.length > 0) options.log.info({ source: 'reminders', notified: plan.notify.length }, 'expiry reminders notified');
  };
  return scheduleDaily(() => check().catch((error: unknown) => options.log.warn({ source: 'reminders', err: error }, 'expiry reminder check failed')), options.intervalMs);
}
