/**
 * One checklist from two verdicts: the app's own checks and the service's eligibility answer. A row the
 * service could not decide (unreachable, or it stopped at an unknown certificate) is `unknown`, never a pass.
 */
import type { AppError, ErrorCode } from '../../src-shared/contract/errors.js';
import type { EligibilityResponse, Reason } from '../../src-shared/contract/protocol/eligibility.js';
import type { CheckId, CheckItem } from '../../src-shared/contract/schemas/renewal.js';
import type { LocalVerdict } from './local-checks.js';

/** Service reason codes by the row they belong to. */
const serviceRows: Partial<Record<ErrorCode, CheckId>> = {
  RENEWAL_CERT_UNKNOWN_ISSUER: 'issued-by-ca',
  RENEWAL_CERT_NOT_ON_RECORD: 'issued-by-ca',
  RENEWAL_CERT_REVOKED: 'not-revoked',
  RENEWAL_CERT_EXPIRED: 'not-expired',
  RENEWAL_HOLDER_DATA_CHANGED: 'data-unchanged',
  RENEWAL_LEGAL_ENTITY_PROCEDURE: 'online-renewal',
  RENEWAL_KEY_TYPE_NOT_ACCEPTED: 'online-renewal',
  RENEWAL_PERSONAL_NUMBER_MISSING: 'online-renewal',
  RENEWAL_TOO_EARLY: 'renewal-window',
};

/** Rows only the service can decide. */
const serviceOnly: CheckId[] = ['data-unchanged', 'online-renewal', 'renewal-window'];

const rowOrder: CheckId[] = ['valid', 'issued-by-ca', 'not-expired', 'not-revoked', 'data-unchanged', 'online-renewal', 'renewal-window'];

type Row = Omit<CheckItem, 'id'>;

export function buildChecklist(local: LocalVerdict, service: EligibilityResponse | null, serviceProblem: AppError | null): CheckItem[] {
  const rows = new Map<CheckId, Row>();
  const set = (id: CheckId, row: Row) => rows.set(id, row);

  // Local verdicts first.
  if (local.chain.ok) {
    set('valid', { status: 'pass', code: null, source: 'local', instead: null });
    set('issued-by-ca', { status: 'pass', code: null, source: 'local', instead: null });
  } else if (local.chain.code === 'CERT_UNTRUSTED_ISSUER') {
    set('valid', { status: 'unknown', code: 'CERT_UNTRUSTED_ISSUER', source: 'local', instead: null });
    set('issued-by-ca', { status: 'fail', code: 'CERT_UNTRUSTED_ISSUER', source: 'local', instead: 'apply-at-registration-office' });
  } else {
    set('valid', { status: 'fail', code: local.chain.code, source: 'local', instead: 'apply-at-registration-office' });
    set('issued-by-ca', { status: 'unknown', code: local.chain.code, source: 'local', instead: null });
  }
  if (local.notYetValid) set('not-expired', { status: 'fail', code: 'CERT_NOT_YET_VALID', source: 'local', instead: 'wait-for-window' });
  else set('not-expired', local.expired ? { status: 'fail', code: 'CERT_EXPIRED', source: 'local', instead: 'new-application' } : { status: 'pass', code: null, source: 'local', instead: null });
  const rev = local.revocation;
  if (rev?.status === 'revoked') set('not-revoked', { status: 'fail', code: 'CERT_REVOKED', source: 'local', instead: 'new-application' });
  else if (rev?.status === 'good') set('not-revoked', { status: 'pass', code: null, source: 'local', instead: null });
  else set('not-revoked', { status: 'unknown', code: rev?.attempts[0]?.code ?? null, source: 'local', instead: 'retry' });

  // Then the service: its refusals override, its silence confirms what it could assess.
  if (service) {
    const stoppedEarly = service.reasons.some((r) => r.code === 'RENEWAL_CERT_UNKNOWN_ISSUER' || r.code === 'RENEWAL_CERT_NOT_ON_RECORD');
    for (const id of serviceOnly) {
      set(id, stoppedEarly ? { status: 'unknown', code: null, source: 'service', instead: null } : { status: 'pass', code: null, source: 'service', instead: null });
    }
    for (const reason of service.reasons) applyReason(rows, reason);
    // A local "unknown" that the service decided becomes the service's answer.
    const revRow = rows.get('not-revoked');
    if (revRow?.status === 'unknown' && !stoppedEarly && !service.reasons.some((r) => r.code === 'RENEWAL_CERT_REVOKED')) {
      set('not-revoked', { status: 'pass', code: null, source: 'service', instead: null });
    }
    for (const id of ['valid', 'issued-by-ca', 'not-expired'] as const) {
      const row = rows.get(id);
      if (row && row.source === 'local' && row.status === 'pass' && !stoppedEarly) row.source = 'both';
    }
  } else {
    for (const id of serviceOnly) set(id, { status: 'unknown', code: serviceProblem?.code ?? null, source: 'service', instead: 'retry' });
  }
  return rowOrder.map((id) => ({ id, ...(rows.get(id) as Row) }));
}

function applyReason(rows: Map<CheckId, Row>, reason: Reason): void {
  const id = serviceRows[reason.code];
  if (!id) return;
  const current = rows.get(id);
  // A local failure keeps its own code (it is more specific); the service adds its confirmation.
  if (current?.status === 'fail') {
    current.source = 'both';
    return;
  }
  rows.set(id, { status: 'fail', code: reason.code, source: 'service', instead: reason.code === 'RENEWAL_CERT_EXPIRED' || reason.code === 'RENEWAL_CERT_REVOKED' ? 'new-application' : reason.instead });
}

/** Whole days from `now` to `notAfter`, rounded down (negative once expired). */
export function daysToExpiry(notAfter: Date, now: Date): number {
  return Math.floor((notAfter.getTime() - now.getTime()) / 86_400_000);
}
