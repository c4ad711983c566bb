/** The CA's HTTP face as a Fastify app factory: OCSP, CRLs and CA certificates (the renewal API comes on top). */
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { CaService } from './ca/ca-service.js';
import type { ServiceMetrics } from './metrics/service-metrics.js';
import { caCertificateRoutes } from './routes/ca-certificates.js';
import { crlRoutes } from './routes/crl.js';
import { ocspRoutes, ocspServerFactory, type TlsFiles } from './routes/ocsp.js';
import { installProblemHandler } from './routes/problem.js';
import { renewalRoutes, type RenewalRoutesOptions } from './routes/v1/renewal-routes.js';

export interface AppOptions {
  service: CaService;
  fastify?: FastifyServerOptions;
  /** Options of the renewal API (/v1, /healthz, /readyz); its defaults otherwise. */
  renewal?: Omit<RenewalRoutesOptions, 'service'>;
  /** Counts and times the requests (served on the admin listener's /metrics). */
  metrics?: ServiceMetrics;
  /** Serve HTTPS with these (PEM); plain HTTP otherwise. */
  tls?: TlsFiles | null;
}

/** Builds the app without listening; tests call `app.inject()`. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: false,
    // Fastify's own request lines carry the client address; the renewal API logs its own lines without personal data.
    logController: new LogController({ disableRequestLogging: true }),
    serverFactory: ocspServerFactory(options.service, options.tls ?? null, Boolean(options.fastify?.trustProxy)),
    ...options.fastify,
  });
  installProblemHandler(app);
  options.metrics?.observe(app);
  await app.register(ocspRoutes, { service: options.service });
  await app.register(crlRoutes, { service: options.service });
  await app.register(caCertificateRoutes, { service: options.service });
  await app.register(renewalRoutes, { service: options.service, ...options.renewal });
  app.get('/health', async () => ({ status: 'ok' }));
  return app;
}
