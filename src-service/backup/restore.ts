/**
 * `obnova-ca restore`: a backup into a new CA directory. Everything is unpacked and the database
 * checked in a staging folder beside the target first, then moved into place, so a damaged backup
 * leaves nothing behind. Absolute paths into the old directory (PIN file, SoftHSM store) are
 * rewritten to the new one.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import Sqlite from 'better-sqlite3';
import { unzipSync } from 'fflate';
import { ObnovaError } from '../../src-shared/contract/errors.js';
import { configFileName } from '../config.js';
import { databaseEntry, readManifest, type BackupManifest } from './backup-archive.js';

export interface RestoreResult {
  dir: string;
  manifest: BackupManifest;
  /** Where the SQLite database went; null for PostgreSQL (restored with pg_restore). */
  databasePath: string | null;
  /** PIN files the backup left out, as the restored configuration names them. */
  pinFilesToProvide: string[];
}

function unzipBackup(file: string): Record<string, Uint8Array> {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (cause) {
    throw new ObnovaError('INPUT_INVALID', `cannot read ${file}`, { file }, { cause });
  }
  try {
    return unzipSync(bytes);
  } catch (cause) {
    throw new ObnovaError('CA_BACKUP_INVALID', `${file} is not a readable backup (${cause instanceof Error ? cause.message : String(cause)})`, { file }, { cause });
  }
}

/** Paths in text settings that pointed into the old directory now point into the new one. */
function rewritePaths(name: string, bytes: Uint8Array, from: string, to: string): Uint8Array {
  if (!/\.(json|conf)$/.test(name)) return bytes;
  const text = new TextDecoder().decode(bytes);
  const escapedFrom = JSON.stringify(from + sep).slice(1, -1);
  const escapedTo = JSON.stringify(to + sep).slice(1, -1);
  return new TextEncoder().encode(text.split(escapedFrom).join(escapedTo).split(from + sep).join(to + sep));
}

function checkSqlite(path: string, file: string): void {
  let verdict: string;
  try {
    const db = new Sqlite(path, { fileMustExist: true });
    try {
      verdict = String(db.pragma('integrity_check', { simple: true }));
    } finally {
      db.close();
    }
  } catch (cause) {
    throw new ObnovaError('CA_BACKUP_INVALID', `${file}: the database copy cannot be opened`, { file }, { cause });
  }
  if (verdict !== 'ok') throw new ObnovaError('CA_BACKUP_INVALID', `${file}: the database copy fails its integrity check (${verdict})`, { file });
}

export function restoreCa(file: string, targetDir: string): RestoreResult {
  const dir = resolve(targetDir);
  if (existsSync(join(dir, configFileName))) throw new ObnovaError('CA_ALREADY_INITIALIZED', `${dir} already holds a CA; restore into a new directory`, { dir });
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new ObnovaError('INPUT_INVALID', `${dir} is not empty; restore into a new or empty directory`, { dir });
  const entries = unzipBackup(file);
  const manifest = readManifest(entries, file);

  mkdirSync(dirname(dir), { recursive: true });
  const staging = mkdtempSync(join(dirname(dir), `.${basename(dir)}.restoring-`));
  try {
    for (const name of manifest.files) {
      const target = join(staging, ...name.split('/'));
      mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
      writeFileSync(target, rewritePaths(name, entries[`dir/${name}`]!, manifest.sourceDir, dir), { mode: 0o600 });
    }
    const config = JSON.parse(readFileSync(join(staging, configFileName), 'utf8')) as { database?: string };
    let databasePath: string | null = null;
    if (manifest.database === 'sqlite') {
      const url = config.database ?? '';
      if (!url.startsWith('sqlite:')) throw new ObnovaError('CA_BACKUP_INVALID', `${file}: holds a SQLite copy but its configuration names ${url.split(':')[0]}`, { file });
      const path = url.slice('sqlite:'.length);
      databasePath = isAbsolute(path) ? path : join(dir, path);
      const inTarget = databasePath.startsWith(dir + sep);
      const stagedPath = inTarget ? join(staging, relative(dir, databasePath)) : databasePath;
      if (!inTarget && existsSync(stagedPath)) throw new ObnovaError('INPUT_INVALID', `${stagedPath} exists; the restored database would overwrite it`, { path: stagedPath });
      mkdirSync(dirname(stagedPath), { recursive: true });
      writeFileSync(stagedPath, entries[databaseEntry]!, { mode: 0o600 });
      try {
        checkSqlite(stagedPath, file);
      } catch (error) {
        if (!inTarget) rmSync(stagedPath, { force: true });
        throw error;
      }
    }
    renameSync(staging, dir);
    return { dir, manifest, databasePath, pinFilesToProvide: manifest.leftOut.map((p) => (isAbsolute(p) ? p : join(dir, p))) };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
