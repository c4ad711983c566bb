import { describe, expect, it } from 'vitest';
import type { CertificateEntry } from '../../../src-shared/contract/index.js';
import { dueReminders, scheduleDaily } from '../../../src-main/reminders/expiry-reminders.js';

const now = new Date('2026-06-01T12:00:00Z');
const day = 86_400_000;

function cert(id: string, daysLeft: number, extra: Partial<Extract<CertificateEntry, { readable: true }>> = {}): CertificateEntry {
  return {
    slotId: '1', tokenLabel: 'Card', tokenSerial: 's', objectLabel: id, objectId: id, readable: true, subject: `CN=${id}`, subjectCommonName: id,
    issuer: 'CN=CA', issuerCommonName: 'CA', serialNumber: id, notBefore: '2024-01-01T00:00:00.000Z',
    notAfter: new Date(now.getTime() + daysLeft * day + 3600_000).toISOString(), fingerprintSha256: id.padEnd(64, '0'),
    keyAlgorithm: { name: 'EC', size: 256, curve: 'P-256' }, hasPrivateKey: true, privateKeyEvidence: 'public-key-object', qualified: true, isCertificateAuthority: false,
    ...extra,
  };
}

describe('expiry reminders', () => {
  it('reminds from the lead time on, soonest first, including expired ones; not CA certificates or ones without a key', () => {
    const list = [cert('a', 61), cert('b', 60), cert('c', 5), cert('d', -3), cert('e', 10, { isCertificateAuthority: true }), cert('f', 10, { hasPrivateKey: false, privateKeyEvidence: 'none' })];
    const due = dueReminders(list, 60, now);
    expect(due.map((r) => [r.subjectCommonName, r.daysLeft, r.expired])).toEqual([['d', -3, true], ['c', 5, false], ['b', 60, false]]);
  });

  it('follows a changed lead time', () => {
    expect(dueReminders([cert('a', 61)], 90, now)).toHaveLength(1);
    expect(dueReminders([cert('a', 61)], 30, now)).toHaveLength(0);
  });

  it('checks at once and then at every interval until stopped', async () => {
    let runs = 0;
    const stop = scheduleDaily(async () => {
      runs++;
    }, 20);
    await new Promise((r) => setTimeout(r, 70));
    stop();
    const seen = runs;
    await new Promise((r) => setTimeout(r, 50));
    expect(seen).toBeGreaterThanOrEqual(3);
    expect(runs).toBe(seen);
  });
});
