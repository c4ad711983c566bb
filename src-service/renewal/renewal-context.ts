/** What every renewal operation needs: the CA (issuance, register), the database, the market policy, the CA's issuing certificate. */
import type { Kysely } from 'kysely';
import type { Policy } from '../../src-shared/contract/protocol/policy.js';
import { Certificate } from '../../src-shared/pki/certificate.js';
import type { CaService } from '../ca/ca-service.js';
import { renewalDb, type RenewalDatabase } from './db/renewal-schema.js';
import { loadPolicy } from './policy/load-policy.js';

export interface RenewalContext {
  ca: CaService;
  db: Kysely<RenewalDatabase>;
  policy: Policy;
  issuing: Certificate;
  /** Clock, injectable for tests. */
  now(): Date;
}

/** Builds the context for the CA's market. */
export async function renewalContext(ca: CaService, options: { policy?: Policy; now?: () => Date } = {}): Promise<RenewalContext> {
  return {
    ca,
    db: renewalDb(ca.db),
    policy: options.policy ?? loadPolicy(ca.config.market),
    issuing: await Certificate.fromDer(ca.authority.issuing.der),
    now: options.now ?? (() => new Date()),
  };
}
