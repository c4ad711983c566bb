/**
 * The CA as one object for the server and the CLI: HSM authority, database, CRL publisher and
 * OCSP responder, plus revocation that keeps all three in step (also across processes).
 */
import type { CaConfig } from '../config.js';
import { latestAuditId } from '../db/audit-log.js';
import { findCertificate, listStatuses, revokeCertificate, type IssuedCertificate } from '../db/certificates-repository.js';
import { openDatabase, type DatabaseHandle, type DatabaseOptions } from '../db/connection.js';
import { migrateToLatest } from '../db/migrate.js';
import type { TimedJob } from '../jobs/job-runs.js';
import { Authority } from './authority.js';
import { CrlPublisher } from './crl.js';
import { issueCertificate, type IssueRequest, type IssueResult } from './issuance.js';
import { OcspResponder } from './ocsp-responder.js';
import { parseRevocationReason } from './revocation-reasons.js';

const revokeAction = 'certificate.revoke';

export class CaService {
  readonly crl: CrlPublisher;
  readonly ocsp: OcspResponder;
  private lastRevocationId = 0;
  private timers: NodeJS.Timeout[] = [];

  private constructor(
    readonly authority: Authority,
    readonly database: DatabaseHandle,
  ) {
    this.crl = new CrlPublisher(authority, database.db);
    this.ocsp = new OcspResponder(authority.issuing, authority.ocsp, database.db, authority.config.ocsp);
  }

  /** Opens the HSM session and the database (migrating it to the latest schema). */
  static async open(config: CaConfig, options: DatabaseOptions = {}): Promise<CaService> {
    const database = openDatabase(config.database, options);
    try {
      await migrateToLatest(database);
      const authority = await Authority.open(config);
      const service = new CaService(authority, database);
      service.lastRevocationId = await latestAuditId(database.db, [revokeAction]);
      return service;
    } catch (error) {
      await database.db.destroy();
      throw error;
    }
  }

  get config(): CaConfig {
    return this.authority.config;
  }

  get db() {
    return this.database.db;
  }

  /** Issues from a PKCS#10 (see issuance.ts). */
  issue(request: IssueRequest): Promise<IssueResult> {
    return issueCertificate(this.authority, this.db, request);
  }

  /** Revokes, signs a new CRL and replaces the cached OCSP answer, in that order. */
  async revoke(serial: string, reason: string, actor: string): Promise<IssuedCertificate> {
    const record = await revokeCertificate(this.db, serial, parseRevocationReason(reason), actor);
    await this.crl.regenerate('issuing');
    await this.ocsp.refresh(record.serial);
    this.lastRevocationId = await latestAuditId(this.db, [revokeAction]);
    return record;
  }

  /**
   * Starts the poll for revocations made by other processes (the CLI) and pre-signs OCSP
   * responses for the issued certificates. The CRL schedule is a timed job (`timedJobs`), run by
   * one instance per period however many serve.
   */
  async startBackground(): Promise<void> {
    await this.crl.get('issuing');
    await this.crl.get('root');
    const pollTimer = setInterval(() => void this.pollRevocations().catch(() => undefined), this.config.ocsp.pollMs);
    pollTimer.unref();
    this.timers.push(pollTimer);
    const statuses = await listStatuses(this.db, 'issuing');
    await this.ocsp.warm(statuses.map((s) => s.serial));
  }

  /** The CA's timed jobs: fresh CRLs (issuing and root) every crl.refreshMinutes. */
  timedJobs(): TimedJob[] {
    return [
      {
        name: 'crl-refresh',
        everyMs: this.config.crl.refreshMinutes * 60_000,
        run: async () => {
          await this.crl.regenerate('issuing');
          await this.crl.regenerate('root');
        },
      },
    ];
  }

  /** Applies revocations recorded since the last look: fresh OCSP answers, CRL from the database. */
  async pollRevocations(): Promise<number> {
    const rows = await this.db
      .selectFrom('audit_log')
      .select(['id', 'subject'])
      .where('action', '=', revokeAction)
      .where('id', '>', this.lastRevocationId)
      .orderBy('id')
      .execute();
    if (rows.length === 0) return 0;
    for (const row of rows) {
      const cert = await findCertificate(this.db, row.subject);
      if (cert) await this.ocsp.refresh(cert.serial);
      this.lastRevocationId = Math.max(this.lastRevocationId, Number(row.id));
    }
    this.crl.forget('issuing');
    return rows.length;
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    this.authority.close();
    await this.database.db.destroy();
  }
}
