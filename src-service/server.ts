/** Boots the CA service: opens the HSM and database, starts CRL/OCSP upkeep, listens. */
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { CaService } from './ca/ca-service.js';
import { loadConfig } from './config.js';
import { createServiceMetrics } from './metrics/service-metrics.js';
import { renewalServing } from './renewal/serve-renewal.js';

export interface RunningServer {
  app: FastifyInstance;
  service: CaService;
  url: string;
  /** The renewal back-office API (loopback, admin token), when configured. */
  adminUrl: string | null;
  close(): Promise<void>;
}

/** Starts listening on the configured (or given) host and port. */
export async function startServer(dir: string, overrides: { host?: string; port?: number } = {}): Promise<RunningServer> {
  const config = loadConfig(dir);
  const service = await CaService.open(config);
  try {
    await service.startBackground();
    const renewal = await renewalServing(service, config.dir);
    const metrics = createServiceMetrics(service);
    const app = await buildApp({ service, renewal: renewal.routes, metrics, fastify: { logger: process.env.OBNOVA_LOG_LEVEL ? { level: process.env.OBNOVA_LOG_LEVEL } : false } });
    const host = overrides.host ?? config.listen.host;
    const demo = renewal.startDemo(host);
    await app.listen({ host, port: overrides.port ?? config.listen.port });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.listen.port;
    const admin = await renewal.startAdmin(metrics.registry);
    return {
      app,
      service,
      url: `http://${host}:${port}`,
      adminUrl: admin?.url ?? null,
      async close() {
        demo?.stop();
        await admin?.close();
        await app.close();
        await service.close();
      },
    };
  } catch (error) {
    await service.close();
    throw error;
  }
}
