/** Expiry reminders: checked when the app opens and then daily while it runs; the first due certificate is shown. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ObnovaApi, Reminder } from '../../../../src-shared/contract/index.js';
import { formatDate, type Locale } from '../../../../src-shared/i18n/core.js';
import { useReplacedCertificates } from '../../hooks/use-replaced-certificates.js';

const dayMs = 86_400_000;

export function ReminderBanner({ api, locale, onRenew }: { api: ObnovaApi; locale: Locale; onRenew: () => void }) {
  const { t } = useTranslation();
  const [reminders, setReminders] = useState<Reminder[]>([]);
  const [dismissed, setDismissed] = useState<string | null>(null);
  const replaced = useReplacedCertificates(api);

  useEffect(() => {
    let cancelled = false;
    const check = (): void => {
      void api.listReminders({}).then((result) => {
        if (!cancelled && result.ok) setReminders(result.value.reminders);
      });
    };
    check();
    const timer = setInterval(check, dayMs);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [api]);

  // A certificate already renewed needs no reminder: its successor is on the card.
  const reminder = reminders.find((r) => !replaced.has(r.fingerprintSha256)) ?? null;
  if (!reminder || dismissed === reminder.fingerprintSha256) return null;
  const values = { name: reminder.subjectCommonName ?? reminder.serialNumber, token: reminder.tokenLabel, date: formatDate(reminder.notAfter, locale) };
  return (
    <div className="reminder-banner" role="status" data-testid="reminder-banner">
      <span>{reminder.expired ? t('reminders.bannerExpired', values) : t('reminders.banner', values)}</span>
      <span className="form-actions">
        <button type="button" className="button button--primary" onClick={onRenew}>
          {t('reminders.renew')}
        </button>
        <button type="button" className="button" onClick={() => setDismissed(reminder.fingerprintSha256)}>
          {t('reminders.dismiss')}
        </button>
      </span>
    </div>
  );
}
