/** `obnova-ca backup`: the CA directory and a consistent SQLite copy in one file, while the service runs. */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import Sqlite from 'better-sqlite3';
import { zipSync } from 'fflate';
import type { CaConfig } from '../config.js';
import { databaseEntry, manifestName, type BackupManifest } from './backup-archive.js';

export interface BackupResult {
  file: string;
  manifest: BackupManifest;
  bytes: number;
}

function filesUnder(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(path, base);
    return entry.isFile() ? [relative(base, path)] : [];
  });
}

const inside = (dir: string, path: string): boolean => path.startsWith(dir + sep);

/** Writes the backup of the CA in `config.dir` to `out` (refusing nothing but an unreadable directory). */
export async function backupCa(config: CaConfig, out: string): Promise<BackupResult> {
  const file = resolve(out);
  const sqlitePath = config.database.startsWith('sqlite:') ? config.database.slice('sqlite:'.length) : null;
  // The live database files are copied through the backup API, never as they lie on disk mid-write.
  const skipped = new Set([file, ...(sqlitePath ? ['', '-wal', '-shm', '-journal'].map((s) => sqlitePath + s) : [])]);
  const pinFiles = [config.hsm.pinFile, join(config.dir, 'hsm-so.pin')].filter((p): p is string => p !== null);
  for (const pin of pinFiles) skipped.add(pin);

  const files = filesUnder(config.dir).filter((name) => !skipped.has(join(config.dir, name)) && !name.endsWith('.obnova-backup'));
  const entries: Record<string, Uint8Array> = {};
  for (const name of files) entries[`dir/${name.split(sep).join('/')}`] = readFileSync(join(config.dir, name));

  if (sqlitePath) {
    const scratch = mkdtempSync(join(dirname(file), '.obnova-backup-'));
    try {
      const source = new Sqlite(sqlitePath, { fileMustExist: true });
      try {
        await source.backup(join(scratch, 'ca.sqlite'));
      } finally {
        source.close();
      }
      entries[databaseEntry] = readFileSync(join(scratch, 'ca.sqlite'));
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }

  const manifest: BackupManifest = {
    format: 1,
    createdAt: new Date().toISOString(),
    sourceDir: config.dir,
    database: sqlitePath ? 'sqlite' : 'postgres',
    files: files.map((name) => name.split(sep).join('/')),
    leftOut: pinFiles.filter((p) => statSafe(p)).map((p) => (inside(config.dir, p) ? relative(config.dir, p) : p)),
  };
  entries[manifestName] = new TextEncoder().encode(JSON.stringify(manifest, null, 2));
  const zip = zipSync(entries, { level: 6 });
  writeFileSync(file, zip, { mode: 0o600 });
  return { file, manifest, bytes: zip.byteLength };
}

function statSafe(path: string): boolean {
  try {
    return isAbsolute(path) && statSync(path).isFile();
  } catch {
    return false;
  }
}
