/**
 * Timed jobs that several service instances on one database share: time is cut into slots of the
 * job's period, every instance looks often, and the one whose conditional UPDATE moves the job's
 * row to the current slot runs it; the others see zero rows changed and skip. One statement, so it
 * holds on SQLite and PostgreSQL alike, and a dead instance holds nothing (the next slot is free).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

export interface TimedJob {
  name: string;
  everyMs: number;
  run(): Promise<unknown>;
}

/** The slot `now` falls in for a job with this period. */
export const slotOf = (now: number, everyMs: number): number => Math.floor(now / everyMs);

/** True when this caller won `slot` of `name` (and must run the job); false when someone else has it. */
export async function claimSlot(db: Kysely<Database>, name: string, slot: number, by: string, now: Date): Promise<boolean> {
  await db
    .insertInto('job_runs')
    .values({ name, slot: -1, started_at: now.toISOString(), started_by: '' })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const result = await db
    .updateTable('job_runs')
    .set({ slot, started_at: now.toISOString(), started_by: by })
    .where('name', '=', name)
    .where('slot', '<', slot)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export interface JobScheduler {
  /** Looks once: claims and runs every job whose current slot is free. Resolves when they finished. */
  tick(): Promise<void>;
  stop(): void;
}

/**
 * Looks every `checkEveryMs` (default: a quarter of the shortest period, between 1 s and 60 s).
 * A failing job is reported through `onError` and tried again in its next slot.
 */
export function startJobs(
  db: Kysely<Database>,
  jobs: TimedJob[],
  options: { by: string; checkEveryMs?: number; now?: () => number; onError?: (job: string, error: unknown) => void; timers?: boolean },
): JobScheduler {
  const now = options.now ?? Date.now;
  const running = new Set<string>();
  const tick = async (): Promise<void> => {
    await Promise.all(
      jobs.map(async (job) => {
        if (running.has(job.name)) return;
        running.add(job.name);
        try {
          const at = now();
          if (await claimSlot(db, job.name, slotOf(at, job.everyMs), options.by, new Date(at))) await job.run();
        } catch (error) {
          options.onError?.(job.name, error);
        } finally {
          running.delete(job.name);
        }
      }),
    );
  };
  const shortest = Math.min(...jobs.map((j) => j.everyMs));
  const every = options.checkEveryMs ?? Math.min(60_000, Math.max(1000, shortest / 4));
  const timer = options.timers === false ? null : setInterval(() => void tick(), every);
  timer?.unref();
  return { tick, stop: () => timer && clearInterval(timer) };
}
