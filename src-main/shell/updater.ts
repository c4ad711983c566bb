/**
 * Auto-update through electron-updater's generic provider, from a feed named per deployment in
 * native-config/updates.json. Updates run only where the operating system checks the installer's
 * signature: Windows (Authenticode, publisher pinned) and macOS (Squirrel.Mac checks the code signature
 * against the running app's). Off in the demo, in unpackaged runs, on Linux and without a feed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { AppUpdater } from 'electron-updater';
import type { Logger } from '../app/logger.js';

/** One deployment's update feed: the folder that holds latest.yml / latest-mac.yml and the installers. */
export const updateFeedSchema = z
  .object({
    url: z.url({ protocol: /^https?$/ }),
    channel: z.string().regex(/^[a-z][a-z0-9-]*$/).default('latest'),
    /** Authenticode subject CNs a Windows update must be signed by (electron-builder's win.signtoolOptions.publisherName). */
    publisherNames: z.array(z.string().min(1)).min(1).default(['Obnova']),
    checkEveryHours: z.number().int().min(1).max(168).default(6),
  })
  .strict();
export type UpdateFeed = z.output<typeof updateFeedSchema>;

/** native-config/updates.json: feeds keyed by deployment id (the ids in native-config/deployments/). */
export const updateFeedsFileSchema = z
  .object({
    $schema: z.string().optional(),
    feeds: z.record(z.string().regex(/^[a-z0-9][a-z0-9-]*$/), updateFeedSchema),
  })
  .strict();

/** Why updates are off, or the feed they use. */
export type UpdatePlan =
  | { enabled: true; feed: UpdateFeed }
  | { enabled: false; reason: 'demo' | 'not-packaged' | 'no-feed' | 'no-signature-check' | 'insecure-feed' };

/** The feed for one deployment from `<nativeConfigDir>/updates.json`, or undefined when there is none or it is invalid. */
export function readUpdateFeed(nativeConfigDir: string, deploymentId: string, log?: Logger): UpdateFeed | undefined {
  const path = join(nativeConfigDir, 'updates.json');
  if (!existsSync(path)) return undefined;
  try {
    const parsed = updateFeedsFileSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    if (!parsed.success) {
      log?.warn({ path, issues: parsed.error.issues.length }, 'updates.json is invalid; auto-update is off');
      return undefined;
    }
    return parsed.data.feeds[deploymentId];
  } catch {
    log?.warn({ path }, 'updates.json is not JSON; auto-update is off');
    return undefined;
  }
}

/** Decides whether this run updates itself; pure, so every rule is tested without Electron. */
export function planAutoUpdate(options: {
  feed: UpdateFeed | undefined;
  isPackaged: boolean;
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
}): UpdatePlan {
  if (options.env.OBNOVA_DEMO === '1') return { enabled: false, reason: 'demo' };
  if (!options.isPackaged) return { enabled: false, reason: 'not-packaged' };
  if (!options.feed) return { enabled: false, reason: 'no-feed' };
  // Linux packages carry no signature electron-updater could check (the feed's sha512 comes from the
  // same server as the file): deb users update through their package repository instead.
  if (options.platform !== 'win32' && options.platform !== 'darwin') return { enabled: false, reason: 'no-signature-check' };
  const url = new URL(options.feed.url);
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !loopback) return { enabled: false, reason: 'insecure-feed' };
  return { enabled: true, feed: options.feed };
}

/** The parts of electron-updater's AppUpdater this file uses (a test passes a recorder). */
export type Updater = Pick<
  AppUpdater,
  'autoDownload' | 'autoInstallOnAppQuit' | 'allowDowngrade' | 'allowPrerelease' | 'forceDevUpdateConfig' | 'setFeedURL' | 'checkForUpdates' | 'on'
> & {
  verifyUpdateCodeSignature?: (publisherNames: string[], path: string) => Promise<string | null>;
};

/**
 * Starts checking the plan's feed now and every few hours; returns the function that stops it.
 * Downloads in the background and installs when the app quits (a renewal in progress is never interrupted).
 */
export async function startAutoUpdate(plan: UpdatePlan, log: Logger, updater?: Updater): Promise<() => void> {
  if (!plan.enabled) {
    log.info({ reason: plan.reason }, 'auto-update is off');
    return () => undefined;
  }
  const { feed } = plan;
  const target = updater ?? (await loadElectronUpdater());
  target.autoDownload = true;
  target.autoInstallOnAppQuit = true;
  target.allowDowngrade = false;
  target.allowPrerelease = false;
  target.forceDevUpdateConfig = false;
  target.setFeedURL({ provider: 'generic', url: feed.url, channel: feed.channel, publisherName: feed.publisherNames });
  const verify = target.verifyUpdateCodeSignature;
  if (verify) {
    // Check against the deployment's pinned publishers, whatever the installer's own app-update.yml says.
    target.verifyUpdateCodeSignature = (_fromDisk, path) => verify(feed.publisherNames, path);
  }
  target.on('error', (error: Error) => log.warn({ err: error.message }, 'update check failed'));
  target.on('update-downloaded', (info: { version: string }) => log.info({ version: info.version }, 'update downloaded; installs on quit'));

  const check = (): void => {
    target.checkForUpdates().catch((error: unknown) => log.warn({ err: String(error) }, 'update check failed'));
  };
  check();
  const timer = setInterval(check, feed.checkEveryHours * 3_600_000);
  timer.unref();
  return () => clearInterval(timer);
}

async function loadElectronUpdater(): Promise<Updater> {
  // electron-updater is CommonJS and needs Electron at load time: loaded only when updates are on.
  const module = await import('electron-updater');
  return (module.default ?? module).autoUpdater;
}
