/** A running renewal service for a test file: SoftHSM CA, database (SQLite or PostgreSQL), the Fastify app, a clock. */
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { buildApp } from '../../../src-service/app.js';
import { CaService } from '../../../src-service/ca/ca-service.js';
import { renewalContext, type RenewalContext } from '../../../src-service/renewal/renewal-context.js';
import { loadPolicy } from '../../../src-service/renewal/policy/load-policy.js';
import type { RateLimitOptions } from '../../../src-service/renewal/rate-limit.js';
import type { Policy } from '../../../src-shared/contract/protocol/policy.js';
import { createTestCa, type DbKind, type TestCa } from '../service/ca-factory.js';

export interface RenewalFixture {
  ca: TestCa;
  service: CaService;
  ctx: RenewalContext;
  app: FastifyInstance;
  close(): Promise<void>;
}

/** Opens everything; `policy` edits the market's policy (tests widen the renewal window to cover new certificates). */
export async function renewalFixture(options: {
  db: DbKind;
  market?: 'si' | 'rs';
  policy?: (p: Policy) => Policy;
  rateLimit?: RateLimitOptions;
  maxInFlight?: number;
  fastify?: FastifyServerOptions;
}): Promise<RenewalFixture> {
  const market = options.market ?? 'si';
  const ca = await createTestCa({ db: options.db, market });
  const service = await CaService.open(ca.config);
  const base = { ...loadPolicy(market), renewalWindowDays: 3650 };
  const ctx = await renewalContext(service, { policy: options.policy ? options.policy(base) : base });
  const app = await buildApp({ service, fastify: options.fastify, renewal: { context: ctx, rateLimit: options.rateLimit, maxInFlight: options.maxInFlight } });
  return {
    ca,
    service,
    ctx,
    app,
    async close() {
      await app.close();
      await service.close();
      // Let the pool's backends finish exiting before DROP DATABASE … WITH (FORCE) signals them (else pg reports 57P01 late).
      if (options.db === 'postgres') await new Promise((r) => setTimeout(r, 250));
      await ca.cleanup();
    },
  };
}
