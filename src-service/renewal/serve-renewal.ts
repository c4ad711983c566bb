/** What `obnova-ca serve` needs for the renewal service: route options from the config, and the admin API on loopback. */
import type { Registry } from 'prom-client';
import type { CaService } from '../ca/ca-service.js';
import type { TimedJob } from '../jobs/job-runs.js';
import { expireOverdue } from './admin-actions.js';
import type { RenewalRoutesOptions } from '../routes/v1/renewal-routes.js';
import { startAdminServer } from './admin/admin-app.js';
import { startDemoAutoConfirm } from './demo-auto-confirm.js';
import { loadPolicy } from './policy/load-policy.js';
import { loadRenewalConfig } from './renewal-config.js';
import { renewalContext } from './renewal-context.js';

export interface RenewalServing {
  routes: Omit<RenewalRoutesOptions, 'service'>;
  /** True when a port and a token are configured: the admin API (and with it /metrics) will be served. */
  adminEnabled: boolean;
  /** Starts the admin API when a port and a token are configured; null otherwise. */
  startAdmin(metrics?: Registry): Promise<{ url: string; close(): Promise<void> } | null>;
  /** Timed jobs of the renewal service (order expiry), run by startJobs in `serve`. */
  jobs: TimedJob[];
  /** Starts the demo hooks (auto-confirmed payments) when configured; refuses a non-loopback `host`. */
  startDemo(host: string): { stop(): void } | null;
}

/** Reads obnova-renewal.json + env for the CA in `dir`. */
export async function renewalServing(service: CaService, dir: string, env: NodeJS.ProcessEnv = process.env): Promise<RenewalServing> {
  const config = loadRenewalConfig(dir, env);
  const context = await renewalContext(service, { policy: config.policyDir ? loadPolicy(service.config.market, config.policyDir) : undefined });
  return {
    routes: { context, rateLimit: config.rateLimit, maxInFlight: config.maxInFlight },
    jobs: [{ name: 'order-expiry', everyMs: config.expireOrdersEveryMinutes * 60_000, run: () => expireOverdue(context, 'service:order-expiry') }],
    adminEnabled: config.admin.port !== null && !!config.adminToken,
    async startAdmin(metrics) {
      if (config.admin.port === null || !config.adminToken) return null;
      const admin = await startAdminServer(context, { host: config.admin.host, port: config.admin.port, token: config.adminToken, metrics });
      return { url: admin.url, close: () => admin.app.close() };
    },
    startDemo(host) {
      const afterMs = config.demo.autoConfirmPaymentsAfterMs;
      return afterMs === null ? null : startDemoAutoConfirm(context, { afterMs, host });
    },
  };
}
