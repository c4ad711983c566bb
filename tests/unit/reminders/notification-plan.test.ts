import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Reminder } from '../../../src-shared/contract/schemas/reminders.js';
import { localDay, notificationText, planReminderNotifications } from '../../../src-main/reminders/notification-plan.js';
import { notifiedStatePath, readNotifiedState, writeNotifiedState } from '../../../src-main/reminders/notified-state-file.js';

const reminder = (fingerprint: string, daysLeft: number, over: Partial<Reminder> = {}): Reminder => ({
  slotId: '1',
  tokenLabel: 'Ana kartica',
  subjectCommonName: 'Ana Novak',
  serialNumber: '0a',
  fingerprintSha256: fingerprint,
  notAfter: new Date(Date.UTC(2026, 11, 20, 12)).toISOString(),
  daysLeft,
  expired: daysLeft < 0,
  ...over,
});

const morning = new Date(2026, 10, 26, 8, 0);
const evening = new Date(2026, 10, 26, 22, 30);
const nextMorning = new Date(2026, 10, 27, 7, 0);

describe('planReminderNotifications', () => {
  it('notifies every due certificate the first time', () => {
    const plan = planReminderNotifications([reminder('aa', 20), reminder('bb', -3)], {}, morning);
    expect(plan.notify.map((r) => r.fingerprintSha256)).toEqual(['aa', 'bb']);
    expect(plan.state).toEqual({ aa: '2026-11-26', bb: '2026-11-26' });
  });

  it('does not notify twice on the same day (a restart, a second check)', () => {
    const first = planReminderNotifications([reminder('aa', 20)], {}, morning);
    const second = planReminderNotifications([reminder('aa', 20)], first.state, evening);
    expect(second.notify).toEqual([]);
    expect(second.state).toEqual(first.state);
  });

  it('notifies again the next day, and a certificate newly due the same day', () => {
    const first = planReminderNotifications([reminder('aa', 20)], {}, morning);
    expect(planReminderNotifications([reminder('aa', 20), reminder('cc', 59)], first.state, evening).notify.map((r) => r.fingerprintSha256)).toEqual(['cc']);
    expect(planReminderNotifications([reminder('aa', 19)], first.state, nextMorning).notify.map((r) => r.fingerprintSha256)).toEqual(['aa']);
  });

  it('forgets certificates that are no longer due (renewed) and notifies one certificate on two cards once', () => {
    const plan = planReminderNotifications([reminder('aa', 20), reminder('aa', 20, { slotId: '2', tokenLabel: 'Copy' })], { gone: '2026-11-20' }, morning);
    expect(plan.notify).toHaveLength(1);
    expect(plan.state).toEqual({ aa: '2026-11-26' });
  });

  it('uses the local calendar day', () => {
    expect(localDay(new Date(2026, 0, 5, 23, 59))).toBe('2026-01-05');
  });
});

describe('notificationText', () => {
  it('says which certificate, which card and when, in the chosen language', () => {
    expect(notificationText(reminder('aa', 20), 'en')).toEqual({ title: 'Certificate renewal', body: 'The certificate of Ana Novak on card “Ana kartica” expires on 20 December 2026. Renew it before then.' });
    const sl = notificationText(reminder('aa', -2), 'sl');
    expect(sl.title).toBe('Obnova potrdila');
    expect(sl.body).toContain('Ana Novak');
    expect(notificationText(reminder('aa', 5), 'sr-Cyrl').title).toBe('Обнова сертификата');
  });
});

describe('notified state file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'obnova-notified-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips, and a missing or damaged file reads as empty', () => {
    expect(readNotifiedState(dir)).toEqual({});
    writeNotifiedState(dir, { aa: '2026-11-26' });
    expect(readNotifiedState(dir)).toEqual({ aa: '2026-11-26' });
    writeFileSync(notifiedStatePath(dir), '{"aa": 5, "bb": "2026-11-26", "cc": "yesterday"}');
    expect(readNotifiedState(dir)).toEqual({ bb: '2026-11-26' });
    writeFileSync(notifiedStatePath(dir), 'not json');
    expect(readNotifiedState(dir)).toEqual({});
  });
});
