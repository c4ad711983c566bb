import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Reminder } from '../../../src-shared/contract/schemas/reminders.js';
import { notifiedStatePath } from '../../../src-main/reminders/notified-state-file.js';

// A fake of electron's Notification: records what was shown and keeps the click listener.
const fake = vi.hoisted(() => ({
  supported: true,
  shown: [] as Array<{ title: string; body: string; click?: () => void }>,
}));

vi.mock('electron', () => ({
  Notification: class {
    static isSupported(): boolean {
      return fake.supported;
    }
    private readonly entry: { title: string; body: string; click?: () => void };
    constructor(options: { title: string; body: string }) {
      this.entry = { ...options };
    }
    on(event: string, listener: () => void): this {
      if (event === 'click') this.entry.click = listener;
      return this;
    }
    show(): void {
      fake.shown.push(this.entry);
    }
  },
}));

const { startReminderNotifications } = await import('../../../src-main/shell/reminder-notifications.js');

const due: Reminder = {
  slotId: '1',
  tokenLabel: 'Ana kartica',
  subjectCommonName: 'Ana Novak',
  serialNumber: '0a',
  fingerprintSha256: 'aa',
  notAfter: '2026-12-20T12:00:00.000Z',
  daysLeft: 24,
  expired: false,
};

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function setup(language: 'sl' | null, reminders: Reminder[] = [due]) {
  const appDataDir = mkdtempSync(join(tmpdir(), 'obnova-shell-reminders-'));
  dirs.push(appDataDir);
  const window = { isMinimized: vi.fn(() => true), restore: vi.fn(), show: vi.fn(), focus: vi.fn() };
  const log = { info: vi.fn(), warn: vi.fn() };
  const handlers = {
    'reminders.list': vi.fn(async () => ({ leadDays: 60, checkedAt: new Date().toISOString(), reminders })),
    'settings.get': vi.fn(async () => ({ settings: { language } }) as never),
    'app.info': vi.fn(async () => ({ name: 'Obnova' as const, version: '1.0.0', mode: 'electron' as const, systemLocale: 'en' as const })),
  };
  return { appDataDir, window, log, handlers };
}

const settle = () => new Promise((r) => setTimeout(r, 20));

beforeEach(() => {
  fake.shown.length = 0;
  fake.supported = true;
});

describe('startReminderNotifications', () => {
  it('notifies at start in the Settings language, a click brings the window forward, and the day is remembered', async () => {
    const s = setup('sl');
    const stop = startReminderNotifications({ ...s, handlers: s.handlers as never, now: () => new Date(2026, 10, 26, 9) });
    await settle();
    expect(fake.shown).toHaveLength(1);
    expect(fake.shown[0]).toMatchObject({ title: 'Obnova potrdila' });
    expect(fake.shown[0]!.body).toContain('Ana Novak');
    fake.shown[0]!.click!();
    expect(s.window.restore).toHaveBeenCalled();
    expect(s.window.focus).toHaveBeenCalled();
    expect(JSON.parse(readFileSync(notifiedStatePath(s.appDataDir), 'utf8'))).toEqual({ aa: '2026-11-26' });
    stop();
  });

  it('checks again on the interval but does not notify twice a day; the next day it does (system language when none is set)', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      let now = new Date(2026, 10, 26, 9);
      const s = setup(null);
      const stop = startReminderNotifications({ ...s, handlers: s.handlers as never, intervalMs: 1000, now: () => now });
      await settle();
      expect(fake.shown.map((n) => n.title)).toEqual(['Certificate renewal']);
      vi.advanceTimersByTime(1000);
      await settle();
      expect(s.handlers['reminders.list']).toHaveBeenCalledTimes(2);
      expect(fake.shown).toHaveLength(1);
      now = new Date(2026, 10, 27, 9);
      vi.advanceTimersByTime(1000);
      await settle();
      expect(fake.shown).toHaveLength(2);
      stop();
    } finally {
      vi.useRealTimers();
    }
  });

  it('does nothing where the OS has no notifications, and logs (does not throw) when the check fails', async () => {
    fake.supported = false;
    const s = setup(null);
    startReminderNotifications({ ...s, handlers: s.handlers as never })();
    await settle();
    expect(s.handlers['reminders.list']).not.toHaveBeenCalled();

    fake.supported = true;
    const failing = setup(null);
    failing.handlers['reminders.list'].mockRejectedValueOnce(new Error('card gone'));
    startReminderNotifications({ ...failing, handlers: failing.handlers as never })();
    await settle();
    expect(failing.log.warn).toHaveBeenCalled();
    expect(fake.shown).toEqual([]);
  });
});
