/** Table types for Kysely; timestamps are ISO-8601 UTC strings on both SQLite and PostgreSQL. */
import type { ColumnType, Generated } from 'kysely';

/** Bytes: better-sqlite3 (BLOB) and pg (bytea) both hand back Buffers. */
export type Bytes = ColumnType<Buffer, Buffer, Buffer>;

export interface HoldersTable {
  id: string;
  kind: 'natural' | 'legal';
  country: string;
  given_name: string;
  surname: string;
  /** National personal number of the person (natural) or the representative (legal). */
  personal_number: string;
  email: string | null;
  legal_name: string | null;
  /** VAT / registration number of the legal entity. */
  organization_id: string | null;
  /** Bumped on every change of registered data; certificates remember the version they were issued for. */
  data_version: number;
  created_at: string;
  updated_at: string;
}

export interface CardsTable {
  id: string;
  holder_id: string;
  token_serial: string;
  token_label: string;
  created_at: string;
}

export interface CertificatesTable {
  serial: string;
  issuer: string;
  holder_id: string;
  card_id: string | null;
  profile_id: string;
  kind: 'original' | 'renewal';
  subject: string;
  not_before: string;
  not_after: string;
  spki_sha256: string;
  holder_data_version: number;
  der: Bytes;
  issued_at: string;
  status: 'good' | 'revoked';
  revoked_at: string | null;
  revocation_reason: string | null;
  /** The renewal order this certificate was issued for (unique), or null outside an order. */
  order_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface CrlsTable {
  issuer: string;
  number: number;
  this_update: string;
  next_update: string;
  der: Bytes;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actor: string;
  action: string;
  subject: string;
  details: string;
}

/** Timed jobs: the slot (start time / period) each was last claimed in (src-service/jobs/job-runs.ts). */
export interface JobRunsTable {
  name: string;
  slot: number | string;
  started_at: string;
  started_by: string;
}

export interface Database {
  holders: HoldersTable;
  cards: CardsTable;
  certificates: CertificatesTable;
  crls: CrlsTable;
  audit_log: AuditLogTable;
  job_runs: JobRunsTable;
}
