/** Brings the schema to the latest migration; migrations live in code so the bundle carries them. */
import { Migrator, type Migration, type MigrationProvider } from 'kysely';
import { ObnovaError } from '../../src-shared/contract/errors.js';
import type { DatabaseHandle } from './connection.js';
import { databaseFault } from './database-fault.js';
import { initialMigration } from './migrations/0001-initial.js';
import { renewalMigration } from './migrations/0002-renewal.js';
import { certificateOrderMigration } from './migrations/0003-certificate-order.js';
import { cmpMigration } from './migrations/0004-cmp.js';
import { jobRunsMigration } from './migrations/0005-job-runs.js';

/** Applies pending migrations; returns the names applied now. */
export async function migrateToLatest({ db, dialect }: DatabaseHandle): Promise<string[]> {
  const provider: MigrationProvider = {
    async getMigrations(): Promise<Record<string, Migration>> {
      return { '0001-initial': initialMigration(dialect), '0002-renewal': renewalMigration(dialect), '0003-certificate-order': certificateOrderMigration(), '0004-cmp': cmpMigration(), '0005-job-runs': jobRunsMigration() };
    },
  };
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  // A database that cannot be reached is not a failed migration: say so with its own code.
  if (error) throw databaseFault(error) ?? new ObnovaError('INTERNAL', 'database migration failed', undefined, { cause: error });
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
