/**
 * The backup file of a CA: one zip (fflate) holding the CA directory (configuration, CA
 * certificates, renewal settings and policies, an in-directory SoftHSM token store) and, for SQLite,
 * a consistent copy of the database made with SQLite's online backup API while the service runs.
 * The HSM PIN files are left out: a backup must not carry both a key store and what unlocks it.
 * PostgreSQL is backed up with pg_dump beside this file (docs/operations.md).
 */
import { z } from 'zod';
import { ObnovaError } from '../../src-shared/contract/errors.js';

export const manifestName = 'obnova-backup.json';
/** Where the SQLite copy sits inside the archive. */
export const databaseEntry = 'database/ca.sqlite';

export const backupManifestSchema = z.object({
  format: z.literal(1),
  createdAt: z.string(),
  /** The CA directory backed up: absolute paths into it are rewritten on restore. */
  sourceDir: z.string(),
  database: z.enum(['sqlite', 'postgres']),
  /** Files of the CA directory, relative to it. */
  files: z.array(z.string()),
  /** PIN files left out on purpose, relative to the CA directory or absolute. */
  leftOut: z.array(z.string()),
});
export type BackupManifest = z.infer<typeof backupManifestSchema>;

/** Reads and checks the manifest of an unzipped backup; CA_BACKUP_INVALID when anything is missing. */
export function readManifest(entries: Record<string, Uint8Array>, file: string): BackupManifest {
  const raw = entries[manifestName];
  if (!raw) throw new ObnovaError('CA_BACKUP_INVALID', `${file} has no ${manifestName}: not an obnova-ca backup`, { file });
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(raw));
  } catch (cause) {
    throw new ObnovaError('CA_BACKUP_INVALID', `${file}: ${manifestName} is not JSON`, { file }, { cause });
  }
  const manifest = backupManifestSchema.safeParse(parsed);
  if (!manifest.success) throw new ObnovaError('CA_BACKUP_INVALID', `${file}: ${manifestName} is not a backup manifest of this version`, { file });
  const missing = manifest.data.files.filter((name) => !(`dir/${name}` in entries));
  if (manifest.data.database === 'sqlite' && !(databaseEntry in entries)) missing.push(databaseEntry);
  if (missing.length > 0) throw new ObnovaError('CA_BACKUP_INVALID', `${file} lacks ${missing.join(', ')}`, { file, missing: missing.join(', ') });
  return manifest.data;
}
