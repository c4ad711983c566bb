/** Where the shell remembers which reminders it notified today: `<appData>/reminders-notified.json`. */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NotifiedState } from './notification-plan.js';

/** The state file's path in the app data folder. */
export function notifiedStatePath(appDataDir: string): string {
  return join(appDataDir, 'reminders-notified.json');
}

/** The saved state; empty when the file is missing or damaged (at worst a reminder shows once more). */
export function readNotifiedState(appDataDir: string): NotifiedState {
  try {
    const value: unknown = JSON.parse(readFileSync(notifiedStatePath(appDataDir), 'utf8'));
    if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
    return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(e[1])));
  } catch {
    return {};
  }
}

/** Writes the state (then renames, so a crash leaves the old file whole). */
export function writeNotifiedState(appDataDir: string, state: NotifiedState): void {
  const path = notifiedStatePath(appDataDir);
  writeFileSync(`${path}.tmp`, JSON.stringify(state), { mode: 0o600 });
  renameSync(`${path}.tmp`, path);
}
