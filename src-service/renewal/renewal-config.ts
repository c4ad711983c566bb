/**
 * The renewal service's settings: optional `obnova-renewal.json` in the CA directory, then the
 * environment. The admin token comes from a file or the environment, never from the file itself.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { z } from 'zod';
import { ObnovaError } from '../../src-shared/contract/errors.js';

export const renewalConfigFileName = 'obnova-renewal.json';

export const renewalConfigSchema = z
  .object({
    admin: z
      .object({
        /** Loopback only (checked when listening). */
        host: z.string().default('127.0.0.1'),
        /** 0 picks a free port; null disables the admin API. */
        port: z.number().int().min(0).max(65535).nullable().default(8481),
        tokenFile: z.string().nullable().default(null),
      })
      .prefault({}),
    rateLimit: z.object({ limit: z.number().int().positive().default(600), windowSeconds: z.number().int().positive().default(60) }).prefault({}),
    maxInFlight: z.number().int().positive().default(256),
    /** Unpaid orders past their due date are expired this often, by one instance of those serving. */
    expireOrdersEveryMinutes: z.number().positive().default(15),
    /** Folder with si.json / rs.json replacing the shipped market policies. */
    policyDir: z.string().nullable().default(null),
    /** Demo only (`npm run demo`): orders are marked paid this many ms after they are placed; null = off. Loopback only. */
    demo: z.object({ autoConfirmPaymentsAfterMs: z.number().int().min(0).nullable().default(null) }).strict().prefault({}),
  })
  .strict();
export type RenewalConfig = z.infer<typeof renewalConfigSchema> & { adminToken: string | null };

/** The hosts the admin API may listen on (checked here at start-up, and again by startAdminServer). */
export const adminLoopbackHosts: ReadonlySet<string> = new Set(['127.0.0.1', '::1', 'localhost']);
const minAdminTokenLength = 24;

/** `600` (per the configured window) or `600/s`, `600/min`, `600/h`. */
const rateLimitEnvSchema = z
  .string()
  .regex(/^\d{1,9}(\/(s|min|h))?$/, 'a positive whole number of requests, optionally per s, min or h (e.g. 600/min)')
  .transform((v) => {
    const [count, unit] = v.split('/');
    return { limit: Number(count), windowSeconds: unit === undefined ? undefined : { s: 1, min: 60, h: 3600 }[unit as 's' | 'min' | 'h'] };
  })
  .refine((r) => r.limit > 0, 'must be at least 1');

/** The environment's settings, each with its own schema: a typo stops the start instead of switching something off. */
const renewalEnvSchema = z.object({
  OBNOVA_ADMIN_PORT: z
    .union([z.literal('off'), z.string().regex(/^\d{1,5}$/, "a port number 0-65535 or 'off'").transform(Number).pipe(z.number().int().min(0).max(65535))])
    .optional(),
  OBNOVA_RATE_LIMIT: rateLimitEnvSchema.optional(),
  OBNOVA_ADMIN_TOKEN: z.string().min(minAdminTokenLength, `must be at least ${minAdminTokenLength} characters`).optional(),
});

function invalid(source: string, issues: z.core.$ZodIssue[]): ObnovaError {
  return new ObnovaError('CA_CONFIG_INVALID', `${source}: ${issues.map((i) => `${i.path.join('.') || 'value'}: ${i.message}`).join('; ')}`, { file: source });
}

/** Reads DIR/obnova-renewal.json when present; OBNOVA_ADMIN_TOKEN, OBNOVA_ADMIN_PORT, OBNOVA_RATE_LIMIT override. */
export function loadRenewalConfig(dir: string, env: NodeJS.ProcessEnv = process.env): RenewalConfig {
  const file = join(dir, renewalConfigFileName);
  let raw: unknown = {};
  if (existsSync(file)) {
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (cause) {
      throw new ObnovaError('CA_CONFIG_INVALID', `${file}: not valid JSON`, { file }, { cause });
    }
  }
  const parsed = renewalConfigSchema.safeParse(raw);
  if (!parsed.success) throw invalid(file, parsed.error.issues);
  const fromEnv = renewalEnvSchema.safeParse({
    OBNOVA_ADMIN_PORT: env.OBNOVA_ADMIN_PORT || undefined,
    OBNOVA_RATE_LIMIT: env.OBNOVA_RATE_LIMIT || undefined,
    OBNOVA_ADMIN_TOKEN: env.OBNOVA_ADMIN_TOKEN || undefined,
  });
  if (!fromEnv.success) throw invalid('environment', fromEnv.error.issues);
  const config = parsed.data;
  const abs = (p: string) => (isAbsolute(p) ? p : join(dir, p));
  if (config.policyDir) config.policyDir = abs(config.policyDir);
  const { OBNOVA_ADMIN_PORT: port, OBNOVA_RATE_LIMIT: rate } = fromEnv.data;
  if (port !== undefined) config.admin.port = port === 'off' ? null : port;
  if (rate) config.rateLimit = { limit: rate.limit, windowSeconds: rate.windowSeconds ?? config.rateLimit.windowSeconds };
  let adminToken = fromEnv.data.OBNOVA_ADMIN_TOKEN ?? null;
  if (!adminToken && config.admin.tokenFile) {
    try {
      adminToken = readFileSync(abs(config.admin.tokenFile), 'utf8').trim();
    } catch (cause) {
      throw new ObnovaError('CA_CONFIG_INVALID', `cannot read the admin token file ${abs(config.admin.tokenFile)}`, { file: abs(config.admin.tokenFile) }, { cause });
    }
    if (adminToken.length < minAdminTokenLength) throw new ObnovaError('CA_CONFIG_INVALID', `the admin token in ${config.admin.tokenFile} must be at least ${minAdminTokenLength} characters`, { file });
  }
  if (config.admin.port !== null && adminToken && !adminLoopbackHosts.has(config.admin.host)) {
    throw new ObnovaError('CA_CONFIG_INVALID', `the admin API listens on loopback only, not ${config.admin.host}`, { file });
  }
  return { ...config, adminToken };
}
