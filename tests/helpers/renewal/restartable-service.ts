/**
 * A renewal service that can be "restarted" on the same CA directory and database: the HSM session,
 * the pool and every in-memory state are dropped and opened afresh, as after a crash and a supervisor restart.
 */
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../src-service/app.js';
import { CaService } from '../../../src-service/ca/ca-service.js';
import { loadPolicy } from '../../../src-service/renewal/policy/load-policy.js';
import { renewalContext, type RenewalContext } from '../../../src-service/renewal/renewal-context.js';
import { createTestCa, type DbKind, type TestCa } from '../service/ca-factory.js';

export interface RestartableService {
  ca: TestCa;
  service: CaService;
  ctx: RenewalContext;
  app: FastifyInstance;
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function restartableService(db: DbKind): Promise<RestartableService> {
  const ca = await createTestCa({ db });
  const open = async () => {
    const service = await CaService.open(ca.config);
    const ctx = await renewalContext(service, { policy: { ...loadPolicy('si'), renewalWindowDays: 3650 } });
    const app = await buildApp({ service, renewal: { context: ctx, rateLimit: { limit: 100_000, windowSeconds: 60 } } });
    return { service, ctx, app };
  };
  const stop = async (s: { service: CaService; app: FastifyInstance }) => {
    await s.app.close();
    await s.service.close();
  };
  const running = { ca, ...(await open()) } as RestartableService;
  running.restart = async () => {
    await stop(running);
    Object.assign(running, await open());
  };
  running.close = async () => {
    await stop(running);
    if (db === 'postgres') await new Promise((r) => setTimeout(r, 250));
    await ca.cleanup();
  };
  return running;
}
