/** Which certificates on the known cards are due for a renewal reminder, and a daily check while the app runs. */
import type { CertificateEntry } from '../../src-shared/contract/schemas/certificate.js';
import type { Reminder } from '../../src-shared/contract/schemas/reminders.js';

const dayMs = 86_400_000;

/**
 * Holder certificates (a private key on the card, not a CA certificate) that expire within `leadDays`
 * or have expired, soonest first.
 */
export function dueReminders(certificates: readonly CertificateEntry[], leadDays: number, now: Date = new Date()): Reminder[] {
  const out: Reminder[] = [];
  for (const entry of certificates) {
    if (!entry.readable || entry.isCertificateAuthority || !entry.hasPrivateKey) continue;
    const daysLeft = Math.floor((Date.parse(entry.notAfter) - now.getTime()) / dayMs);
    if (daysLeft > leadDays) continue;
    out.push({
      slotId: entry.slotId,
      tokenLabel: entry.tokenLabel,
      subjectCommonName: entry.subjectCommonName,
      serialNumber: entry.serialNumber,
      fingerprintSha256: entry.fingerprintSha256,
      notAfter: entry.notAfter,
      daysLeft,
      expired: daysLeft < 0,
    });
  }
  return out.sort((a, b) => a.daysLeft - b.daysLeft);
}

/** Runs `check` now and then every `intervalMs` (a day by default); returns a stop function. */
export function scheduleDaily(check: () => Promise<void>, intervalMs = dayMs): () => void {
  let stopped = false;
  const run = (): void => {
    if (!stopped) void check().catch(() => undefined);
  };
  run();
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
