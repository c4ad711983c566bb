/** Boots the CA service: opens the HSM and database, starts CRL/OCSP upkeep, listens. */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { FastifyInstance } from 'fastify';
import { ObnovaError } from '../src-shared/contract/errors.js';
import { buildApp } from './app.js';
import { CaService } from './ca/ca-service.js';
import { loadConfig, type CaConfig } from './config.js';
import { startJobs } from './jobs/job-runs.js';
import { createServiceMetrics } from './metrics/service-metrics.js';
import type { TlsFiles } from './routes/ocsp.js';
import { isLoopbackHost } from './renewal/demo-auto-confirm.js';
import { renewalServing } from './renewal/serve-renewal.js';

export interface RunningServer {
  app: FastifyInstance;
  service: CaService;
  url: string;
  /** The renewal back-office API (loopback, admin token), when configured. */
  adminUrl: string | null;
  close(): Promise<void>;
}

/** A SQLite write lock held by another process fails a request after this long (503), instead of stalling every request. */
const servingBusyTimeoutMs = 50;

/**
 * Access tokens, billing data and the rate limit's idea of "one client" all depend on the transport:
 * off loopback the service speaks TLS itself or sits behind a proxy it is told to trust.
 */
function transportFor(config: CaConfig, host: string): { tls: TlsFiles | null; trustProxy: boolean | string[] } {
  const { tls, trustProxy } = config.listen;
  if (!isLoopbackHost(host) && !tls && trustProxy === false) {
    throw new ObnovaError('CA_LISTEN_INSECURE', `listening on ${host} needs listen.tls (HTTPS) or listen.trustProxy (behind a TLS proxy) in obnova-ca.json`, { host });
  }
  if (!tls) return { tls: null, trustProxy };
  try {
    return { tls: { cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) }, trustProxy };
  } catch (cause) {
    throw new ObnovaError('CA_CONFIG_INVALID', `cannot read listen.tls files ${tls.certFile}, ${tls.keyFile}`, { file: tls.certFile }, { cause });
  }
}

/**
 * Starts listening on the configured (or given) host and port. Everything is checked and the admin
 * API started before the public port opens, and any failure closes what was opened: `serve` either
 * runs whole or exits with a code, never half-started (healthy on /healthz while renewal calls fail).
 */
export async function startServer(dir: string, overrides: { host?: string; port?: number } = {}): Promise<RunningServer> {
  const config = loadConfig(dir);
  const host = overrides.host ?? config.listen.host;
  const transport = transportFor(config, host);
  const service = await CaService.open(config, { sqliteBusyTimeoutMs: servingBusyTimeoutMs });
  const opened: { close(): Promise<void> | void }[] = [service];
  try {
    await service.startBackground();
    const renewal = await renewalServing(service, config.dir);
    // Metrics are read on the admin listener only: without it nothing would scrape them, so none are kept.
    const metrics = renewal.adminEnabled ? createServiceMetrics(service) : undefined;
    const fastify = { logger: process.env.OBNOVA_LOG_LEVEL ? { level: process.env.OBNOVA_LOG_LEVEL } : false, trustProxy: transport.trustProxy };
    const app = await buildApp({ service, renewal: renewal.routes, metrics, tls: transport.tls, fastify });
    opened.unshift({ close: () => app.close() });
    const demo = renewal.startDemo(host);
    if (demo) opened.unshift({ close: () => demo.stop() });
    const admin = await renewal.startAdmin(metrics?.registry).catch((cause: unknown) => {
      if (cause instanceof ObnovaError) throw cause;
      const reason = (cause as { code?: string }).code ?? 'error';
      throw new ObnovaError('CA_ADMIN_START_FAILED', `the admin API could not listen (${reason})`, { reason }, { cause });
    });
    if (admin) opened.unshift(admin);
    await app.listen({ host, port: overrides.port ?? config.listen.port });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.listen.port;
    const shownHost = host.includes(':') ? `[${host}]` : host;
    // Order expiry and CRL refresh: each once per period across all instances on this database.
    const jobs = startJobs(service.db, [...service.timedJobs(), ...renewal.jobs], {
      by: `${hostname()}:${process.pid}`,
      onError: (job, error) => process.stderr.write(`obnova-ca: timed job ${job} failed (${error instanceof Error ? error.message : String(error)}); it runs again in its next period\n`),
    });
    opened.unshift({ close: () => jobs.stop() });
    return {
      app,
      service,
      url: `${transport.tls ? 'https' : 'http'}://${shownHost}:${port}`,
      adminUrl: admin?.url ?? null,
      async close() {
        for (const o of opened) await o.close();
      },
    };
  } catch (error) {
    for (const o of opened) await Promise.resolve(o.close()).catch(() => undefined);
    throw error;
  }
}
