/**
 * The settings file (`settings.json` in the app data folder): read, changed and reset through the
 * contract's schemas. A damaged file is never fatal: its valid fields are kept and the rest defaulted.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ObnovaError } from '../../src-shared/contract/errors.js';
import { settingsSchema, settingsUpdateSchema, type Deployment, type Settings, type SettingsUpdate } from '../../src-shared/contract/schemas/settings.js';
import { defaultDeploymentId } from './deployments.js';

export const defaultSettings: Settings = Object.freeze({
  language: null,
  deployment: defaultDeploymentId,
  serviceUrl: null,
  extraModulePaths: [],
  reminderLeadDays: 60,
  logLevel: 'info',
}) as Settings;

export interface SettingsStore {
  readonly path: string;
  get(): Settings;
  update(change: SettingsUpdate): Settings;
  reset(): Settings;
  /** serviceUrl, else the chosen deployment's URL, else null. */
  effectiveServiceUrl(deployments: readonly Deployment[]): string | null;
}

/** Reads what it can: each field that passes its schema is kept, the others fall back to the default. */
function readSettings(path: string): Settings {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return { ...defaultSettings };
  }
  const whole = settingsSchema.safeParse(raw);
  if (whole.success) return whole.data;
  const merged: Record<string, unknown> = { ...defaultSettings };
  if (raw && typeof raw === 'object') {
    for (const [key, value] of Object.entries(raw)) {
      if (!(key in defaultSettings)) continue;
      const one = settingsUpdateSchema.safeParse({ [key]: value });
      if (one.success) merged[key] = value;
    }
  }
  return settingsSchema.parse(merged);
}

/** The settings store over `<appDataDir>/settings.json`. */
export function createSettingsStore(appDataDir: string): SettingsStore {
  const path = join(appDataDir, 'settings.json');

  const write = (settings: Settings): void => {
    mkdirSync(dirname(path), { recursive: true });
    // Write then rename: a crash mid-write leaves the old file, never half a file.
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 });
    renameSync(temporary, path);
  };

  return {
    path,
    get: () => readSettings(path),
    update(change) {
      const parsed = settingsUpdateSchema.safeParse(change);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new ObnovaError('INPUT_INVALID', `settings: ${issue?.path.join('.') || 'input'}: ${issue?.message ?? 'invalid'}`, { field: issue?.path.join('.') ?? 'input' });
      }
      const next = settingsSchema.parse({ ...readSettings(path), ...parsed.data });
      write(next);
      return next;
    },
    reset() {
      rmSync(path, { force: true });
      return { ...defaultSettings };
    },
    effectiveServiceUrl(deployments) {
      const settings = readSettings(path);
      if (settings.serviceUrl) return settings.serviceUrl;
      return deployments.find((d) => d.id === settings.deployment)?.serviceUrl ?? null;
    },
  };
}
