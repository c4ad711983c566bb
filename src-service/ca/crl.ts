/**
 * CRLs (RFC 5280 §5): one per CA member (root covers the issuing CA, issuing covers end
 * entities), numbered monotonically, signed in the HSM, kept in the database.
 */
import 'reflect-metadata';
import { AsnConvert } from '@peculiar/asn1-schema';
import { CRLNumber, id_ce_cRLNumber } from '@peculiar/asn1-x509';
import * as x509 from '@peculiar/x509';
import type { Kysely } from 'kysely';
import { listRevoked } from '../db/certificates-repository.js';
import type { Database } from '../db/schema.js';
import type { Authority } from './authority.js';
import { reasonCode } from './revocation-reasons.js';

export type CrlIssuer = 'root' | 'issuing';

export interface StoredCrl {
  issuer: CrlIssuer;
  number: number;
  thisUpdate: Date;
  nextUpdate: Date;
  der: Uint8Array;
}

/** Signs a fresh CRL for `issuer` with the next number and stores it. */
export async function generateCrl(authority: Authority, db: Kysely<Database>, issuer: CrlIssuer, now = new Date()): Promise<StoredCrl> {
  const member = authority.member(issuer);
  const revoked = issuer === 'issuing' ? await listRevoked(db, 'issuing') : [];
  const thisUpdate = new Date(Math.floor(now.getTime() / 1000) * 1000);
  const nextUpdate = new Date(thisUpdate.getTime() + authority.config.crl.validityHours * 3600_000);
  for (let attempt = 0; ; attempt++) {
    const last = await db.selectFrom('crls').select((eb) => eb.fn.max('number').as('n')).where('issuer', '=', issuer).executeTakeFirst();
    const number = Number(last?.n ?? 0) + 1;
    const crl = await x509.X509CrlGenerator.create(
      {
        issuer: member.cert.subjectName,
        thisUpdate,
        nextUpdate,
        entries: revoked.map((r) => ({ serialNumber: r.serial, revocationDate: new Date(r.revokedAt), reason: reasonCode(r.reason) as number as x509.X509CrlReason })),
        extensions: [
          new x509.AuthorityKeyIdentifierExtension(member.keyId),
          new x509.Extension(id_ce_cRLNumber, false, AsnConvert.serialize(new CRLNumber(number))),
        ],
        signingKey: member.signer.privateKey,
        signingAlgorithm: member.signer.algorithm,
      },
      member.signer.webCrypto,
    );
    const der = new Uint8Array(crl.rawData);
    try {
      await db
        .insertInto('crls')
        .values({ issuer, number, this_update: thisUpdate.toISOString(), next_update: nextUpdate.toISOString(), der: Buffer.from(der) })
        .execute();
      return { issuer, number, thisUpdate, nextUpdate, der };
    } catch (error) {
      // Another process took this number at the same moment: sign again with the next one.
      if (attempt >= 3) throw error;
    }
  }
}

/** The newest stored CRL for `issuer`, or null. */
export async function latestCrl(db: Kysely<Database>, issuer: CrlIssuer): Promise<StoredCrl | null> {
  const row = await db.selectFrom('crls').selectAll().where('issuer', '=', issuer).orderBy('number', 'desc').limit(1).executeTakeFirst();
  if (!row) return null;
  return { issuer, number: Number(row.number), thisUpdate: new Date(row.this_update), nextUpdate: new Date(row.next_update), der: new Uint8Array(row.der) };
}

/** Keeps a current CRL per issuer in memory: regenerated on revoke, on schedule, and when stale. */
export class CrlPublisher {
  private readonly current = new Map<CrlIssuer, StoredCrl>();

  constructor(
    private readonly authority: Authority,
    private readonly db: Kysely<Database>,
  ) {}

  /** The CRL to serve; a new one is signed when none exists or the refresh interval has passed. */
  async get(issuer: CrlIssuer, now = new Date()): Promise<StoredCrl> {
    const refreshMs = this.authority.config.crl.refreshMinutes * 60_000;
    const stale = (c: StoredCrl | null | undefined): boolean => !c || now.getTime() - c.thisUpdate.getTime() >= refreshMs || c.nextUpdate <= now;
    let crl = this.current.get(issuer);
    // Another instance's timed job may have signed a newer one: take it from the database before signing ourselves.
    if (stale(crl)) crl = (await latestCrl(this.db, issuer)) ?? undefined;
    const fresh = crl && !stale(crl) ? crl : await generateCrl(this.authority, this.db, issuer, now);
    this.current.set(issuer, fresh);
    return fresh;
  }

  /** Signs a new CRL now (after a revocation). */
  async regenerate(issuer: CrlIssuer): Promise<StoredCrl> {
    const crl = await generateCrl(this.authority, this.db, issuer);
    this.current.set(issuer, crl);
    return crl;
  }

  /** Drops the in-memory copy so the next `get` reads the database (a revocation by another process). */
  forget(issuer: CrlIssuer): void {
    this.current.delete(issuer);
  }
}
