/**
 * The service's metrics in the Prometheus text format (prom-client), served as GET /metrics on the
 * admin listener: HTTP requests by route and status with latency histograms, orders by state and
 * certificates issued (read from the database at scrape time, so every instance reports the same
 * totals), OCSP answers by status, and the HSM signing queue's depth and refusals.
 */
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CaService } from '../ca/ca-service.js';

export interface ServiceMetrics {
  registry: Registry;
  /** Counts and times every request the app routes (the OCSP fast path is counted by its answers). */
  observe(app: FastifyInstance): void;
}

async function countsBy(service: CaService, table: 'renewal_orders' | 'certificates', column: 'status' | 'kind'): Promise<{ key: string; n: number }[]> {
  const { rows } = await sql<{ key: string; n: number | string }>`select ${sql.ref(column)} as key, count(*) as n from ${sql.table(table)} group by ${sql.ref(column)}`.execute(service.db);
  return rows.map((r) => ({ key: r.key, n: Number(r.n) }));
}

export function createServiceMetrics(service: CaService): ServiceMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({ name: 'obnova_http_requests_total', help: 'HTTP requests answered, by route and status', labelNames: ['method', 'route', 'status'], registers: [registry] });
  const latency = new Histogram({
    name: 'obnova_http_request_duration_seconds',
    help: 'Time from request to response, by route',
    labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  new Gauge({
    name: 'obnova_database_up',
    help: '1 when this scrape could read the database (the order and certificate counts need it)',
    registers: [registry],
    async collect() {
      this.set(await sql`select 1 as one`.execute(service.db).then(() => 1, () => 0));
    },
  });
  const gaugeFromDatabase = (name: string, help: string, table: 'renewal_orders' | 'certificates', column: 'status' | 'kind') =>
    new Gauge({
      name,
      help,
      labelNames: [column],
      registers: [registry],
      async collect() {
        this.reset();
        // A database that cannot be read leaves the series out; obnova_database_up says why.
        const counts = await countsBy(service, table, column).catch(() => []);
        for (const { key, n } of counts) this.set({ [column]: key }, n);
      },
    });
  gaugeFromDatabase('obnova_orders', 'Renewal orders in the database, by state', 'renewal_orders', 'status');
  gaugeFromDatabase('obnova_certificates_issued', 'Certificates this CA has issued, by kind (original, renewal)', 'certificates', 'kind');
  new Counter({
    name: 'obnova_ocsp_responses_total',
    help: 'OCSP answers given by this instance, by status',
    labelNames: ['status'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [status, n] of service.ocsp.answers) this.inc({ status }, n);
    },
  });
  new Gauge({
    name: 'obnova_hsm_sign_queue_depth',
    help: 'HSM signatures waiting or running',
    registers: [registry],
    collect() {
      this.set(service.authority.pool.size);
    },
  });
  new Counter({
    name: 'obnova_hsm_sign_errors_total',
    help: 'HSM signatures refused (queue full) or failed',
    labelNames: ['reason'],
    registers: [registry],
    collect() {
      this.reset();
      this.inc({ reason: 'queue-full' }, service.authority.pool.refusals.full);
      this.inc({ reason: 'failed' }, service.authority.pool.refusals.failed);
    },
  });

  return {
    registry,
    observe(app) {
      app.addHook('onResponse', async (request, reply) => {
        // The route pattern, not the URL: order ids and OCSP requests must not become label values.
        const route = request.routeOptions.url ?? 'unmatched';
        requests.inc({ method: request.method, route, status: String(reply.statusCode) });
        latency.observe({ method: request.method, route }, reply.elapsedTime / 1000);
      });
    },
  };
}
