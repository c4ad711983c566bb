/** Issued certificates and their revocation status; every write is audited in the same transaction. */
import type { Kysely, Selectable } from 'kysely';
import { ObnovaError } from '../../src-shared/contract/errors.js';
import { appendAudit } from './audit-log.js';
import type { CertificatesTable, Database } from './schema.js';

export interface IssuedCertificate {
  serial: string;
  issuer: string;
  holderId: string;
  cardId: string | null;
  profileId: string;
  kind: 'original' | 'renewal';
  subject: string;
  notBefore: string;
  notAfter: string;
  spkiSha256: string;
  holderDataVersion: number;
  der: Uint8Array;
  issuedAt: string;
  status: 'good' | 'revoked';
  revokedAt: string | null;
  revocationReason: string | null;
  /** The renewal order it was issued for; null outside an order. */
  orderId: string | null;
}

export type NewCertificate = Omit<IssuedCertificate, 'status' | 'revokedAt' | 'revocationReason' | 'orderId'> & { orderId?: string | null };

export interface RevokedEntry {
  serial: string;
  revokedAt: string;
  reason: string;
}

function toIssued(row: Selectable<CertificatesTable>): IssuedCertificate {
  return {
    serial: row.serial,
    issuer: row.issuer,
    holderId: row.holder_id,
    cardId: row.card_id,
    profileId: row.profile_id,
    kind: row.kind,
    subject: row.subject,
    notBefore: row.not_before,
    notAfter: row.not_after,
    spkiSha256: row.spki_sha256,
    holderDataVersion: Number(row.holder_data_version),
    der: new Uint8Array(row.der),
    issuedAt: row.issued_at,
    status: row.status,
    revokedAt: row.revoked_at,
    revocationReason: row.revocation_reason,
    orderId: row.order_id ?? null,
  };
}

/** Work that must commit with the certificate or not at all (e.g. its order's transition). */
export type AlongWithCertificate = (trx: Kysely<Database>, cert: NewCertificate) => Promise<void>;

/**
 * Stores a signed certificate with its audit entry, atomically, together with `along`: if that
 * throws (the order was rejected meanwhile) or the process dies before COMMIT, the register holds
 * no trace of the certificate, and a certificate never signed into the register is never valid.
 */
export async function insertCertificate(db: Kysely<Database>, cert: NewCertificate, actor: string, along?: AlongWithCertificate): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('certificates')
      .values({
        serial: cert.serial,
        issuer: cert.issuer,
        holder_id: cert.holderId,
        card_id: cert.cardId,
        profile_id: cert.profileId,
        kind: cert.kind,
        subject: cert.subject,
        not_before: cert.notBefore,
        not_after: cert.notAfter,
        spki_sha256: cert.spkiSha256,
        holder_data_version: cert.holderDataVersion,
        der: Buffer.from(cert.der),
        issued_at: cert.issuedAt,
        status: 'good',
        revoked_at: null,
        revocation_reason: null,
        order_id: cert.orderId ?? null,
      })
      .execute();
    await appendAudit(trx, {
      actor,
      action: 'certificate.issue',
      subject: cert.serial,
      details: { holderId: cert.holderId, cardId: cert.cardId, profileId: cert.profileId, kind: cert.kind, orderId: cert.orderId ?? null },
    });
    await along?.(trx, cert);
  });
}

/** The certificate with this serial (lowercase hex), or null. */
export async function findCertificate(db: Kysely<Database>, serial: string): Promise<IssuedCertificate | null> {
  const row = await db.selectFrom('certificates').selectAll().where('serial', '=', serial.toLowerCase()).executeTakeFirst();
  return row ? toIssued(row) : null;
}

/** A holder's certificates, newest first. */
export async function listCertificatesOfHolder(db: Kysely<Database>, holderId: string): Promise<IssuedCertificate[]> {
  const rows = await db.selectFrom('certificates').selectAll().where('holder_id', '=', holderId).orderBy('issued_at', 'desc').execute();
  return rows.map(toIssued);
}

/** How many certificates of each kind were issued onto this card (renewal rule "once per card"). */
export async function countCertificatesOnCard(db: Kysely<Database>, cardId: string): Promise<{ original: number; renewal: number }> {
  const rows = await db
    .selectFrom('certificates')
    .select(['kind', (eb) => eb.fn.countAll().as('n')])
    .where('card_id', '=', cardId)
    .groupBy('kind')
    .execute();
  const out = { original: 0, renewal: 0 };
  for (const row of rows) out[row.kind] = Number(row.n);
  return out;
}

/** Marks a certificate revoked and audits it; a second revocation is refused. */
export async function revokeCertificate(db: Kysely<Database>, serial: string, reason: string, actor: string, at = new Date()): Promise<IssuedCertificate> {
  const key = serial.toLowerCase();
  await db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('certificates').select(['status']).where('serial', '=', key).executeTakeFirst();
    if (!row) throw new ObnovaError('CA_CERT_NOT_FOUND', `no certificate with serial ${key}`, { serial: key });
    if (row.status === 'revoked') throw new ObnovaError('CA_CERT_ALREADY_REVOKED', `certificate ${key} is already revoked`, { serial: key });
    await trx
      .updateTable('certificates')
      .set({ status: 'revoked', revoked_at: at.toISOString(), revocation_reason: reason })
      .where('serial', '=', key)
      .where('status', '=', 'good')
      .execute();
    await appendAudit(trx, { actor, action: 'certificate.revoke', subject: key, details: { reason } }, at);
  });
  const cert = await findCertificate(db, key);
  if (!cert) throw new ObnovaError('CA_CERT_NOT_FOUND', `certificate ${key} vanished`, { serial: key });
  return cert;
}

/** Revoked certificates of one issuer, for the CRL. */
export async function listRevoked(db: Kysely<Database>, issuer: string): Promise<RevokedEntry[]> {
  const rows = await db
    .selectFrom('certificates')
    .select(['serial', 'revoked_at', 'revocation_reason'])
    .where('issuer', '=', issuer)
    .where('status', '=', 'revoked')
    .orderBy('revoked_at')
    .execute();
  return rows.map((r) => ({ serial: r.serial, revokedAt: r.revoked_at ?? '', reason: r.revocation_reason ?? 'unspecified' }));
}

/** Status rows for all certificates of an issuer (OCSP warm-up, openssl index for the bench). */
export async function listStatuses(db: Kysely<Database>, issuer: string): Promise<Pick<IssuedCertificate, 'serial' | 'status' | 'revokedAt' | 'revocationReason' | 'notAfter' | 'subject'>[]> {
  const rows = await db
    .selectFrom('certificates')
    .select(['serial', 'status', 'revoked_at', 'revocation_reason', 'not_after', 'subject'])
    .where('issuer', '=', issuer)
    .execute();
  return rows.map((r) => ({ serial: r.serial, status: r.status, revokedAt: r.revoked_at, revocationReason: r.revocation_reason, notAfter: r.not_after, subject: r.subject }));
}
