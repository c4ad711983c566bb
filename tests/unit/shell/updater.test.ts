import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { planAutoUpdate, readUpdateFeed, startAutoUpdate, updateFeedSchema, type Updater, type UpdateFeed } from '../../../src-main/shell/updater.js';

const log = pino({ level: 'silent' });
const feed: UpdateFeed = updateFeedSchema.parse({ url: 'https://updates.ca.example/obnova/' });
const packagedWindows = { feed, isPackaged: true, platform: 'win32' as const, env: {} };

describe('planAutoUpdate', () => {
  it('updates a packaged Windows or macOS app from an https feed', () => {
    expect(planAutoUpdate(packagedWindows)).toEqual({ enabled: true, feed });
    expect(planAutoUpdate({ ...packagedWindows, platform: 'darwin' })).toEqual({ enabled: true, feed });
  });

  it('is off in the demo, in unpackaged runs and without a feed', () => {
    expect(planAutoUpdate({ ...packagedWindows, env: { OBNOVA_DEMO: '1' } })).toEqual({ enabled: false, reason: 'demo' });
    expect(planAutoUpdate({ ...packagedWindows, isPackaged: false })).toEqual({ enabled: false, reason: 'not-packaged' });
    expect(planAutoUpdate({ ...packagedWindows, feed: undefined })).toEqual({ enabled: false, reason: 'no-feed' });
  });

  it('is off on Linux, where no installer signature would be checked', () => {
    expect(planAutoUpdate({ ...packagedWindows, platform: 'linux' })).toEqual({ enabled: false, reason: 'no-signature-check' });
  });

  it('refuses a plain-http feed except on loopback', () => {
    const http = updateFeedSchema.parse({ url: 'http://updates.ca.example/obnova/' });
    expect(planAutoUpdate({ ...packagedWindows, feed: http })).toEqual({ enabled: false, reason: 'insecure-feed' });
    const local = updateFeedSchema.parse({ url: 'http://127.0.0.1:8080/' });
    expect(planAutoUpdate({ ...packagedWindows, feed: local }).enabled).toBe(true);
  });

  it('rejects feeds that are not http(s) URLs', () => {
    expect(updateFeedSchema.safeParse({ url: 'file:///etc/passwd' }).success).toBe(false);
    expect(updateFeedSchema.safeParse({ url: 'https://x.example/', extra: true }).success).toBe(false);
  });
});

describe('readUpdateFeed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'obnova-updates-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds the deployment feed in updates.json, with defaults filled in', () => {
    writeFileSync(join(dir, 'updates.json'), JSON.stringify({ feeds: { 'si-production': { url: 'https://u.example/si/' } } }));
    expect(readUpdateFeed(dir, 'si-production', log)).toEqual({ url: 'https://u.example/si/', channel: 'latest', publisherNames: ['Obnova'], checkEveryHours: 6 });
    expect(readUpdateFeed(dir, 'rs-production', log)).toBeUndefined();
  });

  it('gives no feed for a missing, invalid or non-JSON file', () => {
    expect(readUpdateFeed(join(dir, 'nowhere'), 'si-production', log)).toBeUndefined();
    writeFileSync(join(dir, 'updates.json'), JSON.stringify({ feeds: { 'si-production': { url: 'ftp://u.example/' } } }));
    expect(readUpdateFeed(dir, 'si-production', log)).toBeUndefined();
    writeFileSync(join(dir, 'updates.json'), '{ not json');
    expect(readUpdateFeed(dir, 'si-production', log)).toBeUndefined();
  });
});

/** Records what startAutoUpdate does to electron-updater's autoUpdater. */
function recordingUpdater(): Updater & { feeds: unknown[]; checks: number; verifiedWith: string[][] } {
  const recorder = {
    autoDownload: false,
    autoInstallOnAppQuit: false,
    allowDowngrade: true,
    allowPrerelease: true,
    forceDevUpdateConfig: true,
    feeds: [] as unknown[],
    checks: 0,
    verifiedWith: [] as string[][],
    setFeedURL(options: unknown) {
      recorder.feeds.push(options);
    },
    async checkForUpdates() {
      recorder.checks += 1;
      return null;
    },
    on() {
      return recorder;
    },
    async verifyUpdateCodeSignature(names: string[]) {
      recorder.verifiedWith.push(names);
      return null;
    },
  };
  return recorder as unknown as Updater & { feeds: unknown[]; checks: number; verifiedWith: string[][] };
}

describe('startAutoUpdate', () => {
  it('points the updater at the generic feed, forbids downgrades and pre-releases, and checks once at start', async () => {
    const updater = recordingUpdater();
    const stop = await startAutoUpdate({ enabled: true, feed }, log, updater);
    stop();
    expect(updater.feeds).toEqual([{ provider: 'generic', url: feed.url, channel: 'latest', publisherName: ['Obnova'] }]);
    expect(updater.checks).toBe(1);
    expect(updater).toMatchObject({ autoDownload: true, autoInstallOnAppQuit: true, allowDowngrade: false, allowPrerelease: false, forceDevUpdateConfig: false });
  });

  it("checks a Windows installer's signature against the deployment's pinned publishers", async () => {
    const updater = recordingUpdater();
    const pinned = updateFeedSchema.parse({ url: 'https://u.example/', publisherNames: ['Certification Authority d.o.o.'] });
    (await startAutoUpdate({ enabled: true, feed: pinned }, log, updater))();
    await updater.verifyUpdateCodeSignature?.(['Someone Else'], 'C:\\update.exe');
    expect(updater.verifiedWith).toEqual([['Certification Authority d.o.o.']]);
  });

  it('does nothing when the plan is off', async () => {
    const updater = recordingUpdater();
    (await startAutoUpdate({ enabled: false, reason: 'demo' }, log, updater))();
    expect(updater.feeds).toEqual([]);
    expect(updater.checks).toBe(0);
  });
});
