/**
 * One row per timed job (order expiry, CRL refresh): the last time slot it was started in and by
 * whom. Instances sharing a database claim a slot with one conditional UPDATE, so a job runs once
 * per slot however many instances serve (src-service/jobs/job-runs.ts).
 */
import type { Kysely, Migration } from 'kysely';

export function jobRunsMigration(): Migration {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against the schema as it was, not the current types
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('job_runs')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('slot', 'bigint', (c) => c.notNull())
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('started_by', 'text', (c) => c.notNull())
        .execute();
    },
  };
}
