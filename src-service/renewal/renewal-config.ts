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
    /** Folder with si.json / rs.json replacing the shipped market policies. */
    policyDir: z.string().nullable().default(null),
    /** Demo only (`npm run demo`): orders are marked paid this many ms after they are placed; null = off. Loopback only. */
    demo: z.object({ autoConfirmPaymentsAfterMs: z.number().int().min(0).nullable().default(null) }).strict().prefault({}),
  })
  .strict();
export type RenewalConfig = z.infer<typeof renewalConfigSchema> & { adminToken: string | null };

/** Reads DIR/obnova-renewal.json when present; OBNOVA_ADMIN_TOKEN, OBNOVA_ADMIN_PORT, OBNOVA_RATE_LIMIT override. */
export function loadRenewalConfig(dir: string, env: NodeJS.ProcessEnv = process.env): RenewalConfig {
  const file = join(dir, renewalConfigFileName);
  const raw: unknown = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  const parsed = renewalConfigSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ObnovaError('CA_CONFIG_INVALID', `${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, { file });
  }
  const config = parsed.data;
  const abs = (p: string) => (isAbsolute(p) ? p : join(dir, p));
  if (config.policyDir) config.policyDir = abs(config.policyDir);
  if (env.OBNOVA_ADMIN_PORT) config.admin.port = env.OBNOVA_ADMIN_PORT === 'off' ? null : Number(env.OBNOVA_ADMIN_PORT);
  if (env.OBNOVA_RATE_LIMIT) config.rateLimit.limit = Number(env.OBNOVA_RATE_LIMIT);
  let adminToken = env.OBNOVA_ADMIN_TOKEN ?? null;
  if (!adminToken && config.admin.tokenFile) adminToken = readFileSync(abs(config.admin.tokenFile), 'utf8').trim();
  return { ...config, adminToken };
}
