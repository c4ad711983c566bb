/** The append-only audit log: who did what to which object, and when. */
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export interface AuditEntry {
  actor: string;
  action: string;
  subject: string;
  details?: Record<string, string | number | boolean | null>;
}

export interface AuditRecord extends Required<AuditEntry> {
  id: number;
  at: string;
}

/** Appends one entry (call inside the transaction that makes the change). */
export async function appendAudit(db: Kysely<Database>, entry: AuditEntry, at = new Date()): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({ at: at.toISOString(), actor: entry.actor, action: entry.action, subject: entry.subject, details: JSON.stringify(entry.details ?? {}) })
    .execute();
}

/** Entries in order, optionally for one subject. */
export async function listAudit(db: Kysely<Database>, subject?: string): Promise<AuditRecord[]> {
  let query = db.selectFrom('audit_log').selectAll().orderBy('id');
  if (subject) query = query.where('subject', '=', subject);
  const rows = await query.execute();
  return rows.map((r) => ({ ...r, id: Number(r.id), details: JSON.parse(r.details) as AuditRecord['details'] }));
}

/** Id of the newest entry with one of these actions, or 0 (cheap change detection for caches). */
export async function latestAuditId(db: Kysely<Database>, actions: string[]): Promise<number> {
  const row = await db.selectFrom('audit_log').select((eb) => eb.fn.max('id').as('max')).where('action', 'in', actions).executeTakeFirst();
  return Number(row?.max ?? 0);
}
