/** Where a certificate stands in its validity period, in whole days, for the state chip. */

export const dayMs = 86_400_000;

/** Under this many days left the chip warns: renewal takes a payment and possibly a new card. */
export const expiryWarningDays = 60;

export type ExpiryState =
  | { kind: 'not-yet-valid'; days: number }
  | { kind: 'valid'; days: number }
  | { kind: 'expiring'; days: number }
  | { kind: 'expired'; days: number };

export type ExpirySeverity = 'info' | 'ok' | 'warning' | 'error';

/** Whole 24-hour periods in a span of milliseconds, rounded down ("expires in 39 days" until 40 have passed). */
export function wholeDays(ms: number): number {
  return Math.floor(Math.abs(ms) / dayMs);
}

/**
 * The state at `now`. The validity period includes both notBefore and notAfter (RFC 5280 §4.1.2.5),
 * so a certificate is expired only after notAfter.
 */
export function expiryState(validity: { notBefore: string; notAfter: string }, now: Date): ExpiryState {
  const t = now.getTime();
  const notBefore = Date.parse(validity.notBefore);
  const notAfter = Date.parse(validity.notAfter);
  if (t < notBefore) return { kind: 'not-yet-valid', days: wholeDays(notBefore - t) };
  if (t > notAfter) return { kind: 'expired', days: wholeDays(t - notAfter) };
  const days = wholeDays(notAfter - t);
  return days < expiryWarningDays ? { kind: 'expiring', days } : { kind: 'valid', days };
}

/** How loudly to show a state; the chip's text always says the same thing in words. */
export function expirySeverity(state: ExpiryState): ExpirySeverity {
  switch (state.kind) {
    case 'valid':
      return 'ok';
    case 'expiring':
      return 'warning';
    case 'expired':
      return 'error';
    case 'not-yet-valid':
      return 'info';
  }
}

/** The catalogue key (and plural count) that words a state; less than a day gets its own sentence. */
export function expiryMessage(state: ExpiryState): { key: string; count?: number } {
  switch (state.kind) {
    case 'valid':
      return { key: 'certificate.state.valid' };
    case 'not-yet-valid':
      return { key: 'certificate.state.notYetValid' };
    case 'expiring':
      return state.days === 0 ? { key: 'certificate.state.expiresToday' } : { key: 'certificate.state.expiresIn', count: state.days };
    case 'expired':
      return state.days === 0 ? { key: 'certificate.state.expiredToday' } : { key: 'certificate.state.expiredAgo', count: state.days };
  }
}
