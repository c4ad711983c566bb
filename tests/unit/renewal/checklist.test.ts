import { describe, expect, it } from 'vitest';
import { buildChecklist, daysToExpiry } from '../../../src-main/renewal/checklist.js';
import type { LocalVerdict } from '../../../src-main/renewal/local-checks.js';
import type { EligibilityResponse, Reason } from '../../../src-shared/contract/protocol/eligibility.js';
import type { CheckItem } from '../../../src-shared/contract/schemas/renewal.js';

const good: LocalVerdict = { chain: { ok: true, path: [] }, expired: false, notYetValid: false, revocation: { status: 'good', source: 'ocsp', url: 'http://x', thisUpdate: new Date(), nextUpdate: null, attempts: [] } };

function service(reasons: Reason[], extra: Partial<EligibilityResponse> = {}): EligibilityResponse {
  return {
    eligible: reasons.length === 0,
    path: reasons.length === 0 ? 'existing-media' : 'original-issuance',
    reasons,
    steps: [],
    certificate: { serial: '01', notAfter: new Date().toISOString(), subject: 'CN=A' },
    windowOpensAt: new Date().toISOString(),
    price: null,
    currency: 'EUR',
    ...extra,
  };
}

const row = (rows: CheckItem[], id: string) => rows.find((r) => r.id === id)!;

describe('buildChecklist', () => {
  it('all local and service checks good: seven passes, confirmed by both where both looked', () => {
    const rows = buildChecklist(good, service([]), null);
    expect(rows.map((r) => r.status)).toEqual(Array(7).fill('pass'));
    expect(row(rows, 'valid').source).toBe('both');
    expect(row(rows, 'data-unchanged').source).toBe('service');
  });

  it('legal entity in rs: "online renewal" fails with the steps to follow instead', () => {
    const rows = buildChecklist(good, service([{ code: 'RENEWAL_LEGAL_ENTITY_PROCEDURE', message: 'x', instead: 'follow-steps' }], { steps: ['owner-signs-application'] }), null);
    expect(row(rows, 'online-renewal')).toMatchObject({ status: 'fail', code: 'RENEWAL_LEGAL_ENTITY_PROCEDURE', instead: 'follow-steps' });
    expect(rows.filter((r) => r.status === 'fail')).toHaveLength(1);
  });

  it('too early: the window row fails with "wait for the window"', () => {
    const rows = buildChecklist(good, service([{ code: 'RENEWAL_TOO_EARLY', message: 'x', instead: 'wait-for-window' }]), null);
    expect(row(rows, 'renewal-window')).toMatchObject({ status: 'fail', code: 'RENEWAL_TOO_EARLY', instead: 'wait-for-window' });
  });

  it('expired locally and at the service: one failure with the local code and "new application"', () => {
    const rows = buildChecklist({ ...good, expired: true }, service([{ code: 'RENEWAL_CERT_EXPIRED', message: 'x', instead: 'apply-at-registration-office' }]), null);
    expect(row(rows, 'not-expired')).toEqual({ id: 'not-expired', status: 'fail', code: 'CERT_EXPIRED', source: 'both', instead: 'new-application' });
  });

  it('revocation unknown locally (OCSP and CRL unreachable) but the service knows it: the service decides', () => {
    const unknown: LocalVerdict = { ...good, revocation: { status: 'unknown', source: null, attempts: [{ code: 'OCSP_HTTP_FAILED', message: 'x' }] } };
    expect(row(buildChecklist(unknown, service([]), null), 'not-revoked')).toMatchObject({ status: 'pass', source: 'service' });
    expect(row(buildChecklist(unknown, null, { code: 'SERVICE_UNREACHABLE', message: 'x' }), 'not-revoked')).toMatchObject({ status: 'unknown', instead: 'retry' });
  });

  it('a certificate the service does not know: service-only rows are unknown, not passes', () => {
    const rows = buildChecklist(good, service([{ code: 'RENEWAL_CERT_NOT_ON_RECORD', message: 'x', instead: 'apply-at-registration-office' }]), null);
    expect(row(rows, 'issued-by-ca')).toMatchObject({ status: 'fail', code: 'RENEWAL_CERT_NOT_ON_RECORD' });
    expect(['data-unchanged', 'online-renewal', 'renewal-window'].map((id) => row(rows, id).status)).toEqual(['unknown', 'unknown', 'unknown']);
  });

  it('a broken signature fails "valid"; an unknown issuer fails "issued by the CA"', () => {
    expect(row(buildChecklist({ ...good, chain: { ok: false, code: 'CERT_BAD_SIGNATURE' }, revocation: null }, null, null), 'valid')).toMatchObject({ status: 'fail', code: 'CERT_BAD_SIGNATURE' });
    const untrusted = buildChecklist({ ...good, chain: { ok: false, code: 'CERT_UNTRUSTED_ISSUER' }, revocation: null }, null, null);
    expect(row(untrusted, 'issued-by-ca')).toMatchObject({ status: 'fail', code: 'CERT_UNTRUSTED_ISSUER' });
    expect(row(untrusted, 'valid').status).toBe('unknown');
  });

  it('days to expiry round down and go negative after expiry', () => {
    const now = new Date('2026-11-26T12:00:00Z');
    expect(daysToExpiry(new Date('2026-12-26T11:00:00Z'), now)).toBe(29);
    expect(daysToExpiry(new Date('2026-11-26T13:00:00Z'), now)).toBe(0);
    expect(daysToExpiry(new Date('2026-11-25T13:00:00Z'), now)).toBe(-1);
  });
});
