/**
 * The CA's configuration: one JSON file in the CA directory, validated with zod, with
 * environment overrides. The HSM PIN comes from a file or an environment variable only.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { ObnovaError } from '../src-shared/contract/errors.js';
import { keySpecSchema } from './hsm/key-spec.js';

export const configFileName = 'obnova-ca.json';

export const marketSchema = z.enum(['si', 'rs']);
export type Market = z.infer<typeof marketSchema>;

export const caConfigSchema = z.object({
  market: marketSchema,
  /** Display name of the issuing CA. */
  name: z.string().min(1),
  /** Where relying parties reach the CA: AIA, CRL DP and PDS URLs are built from it. */
  baseUrl: z.string().url(),
  listen: z.object({
    host: z.string().default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(8480),
    /**
     * Behind a TLS-terminating proxy: true trusts X-Forwarded-For/-Proto from any hop, a list from
     * those addresses only (Fastify's trustProxy). Rate limits then count per holder, not per proxy.
     */
    trustProxy: z.union([z.boolean(), z.array(z.string().min(1)).min(1)]).default(false),
    /** PEM files (relative to the CA directory) to serve HTTPS directly; null = plain HTTP. */
    tls: z.object({ certFile: z.string().min(1), keyFile: z.string().min(1) }).strict().nullable().default(null),
  }),
  /** `sqlite:PATH` (relative to the CA directory) or `postgres://…`. */
  database: z.string().min(1),
  hsm: z.object({
    module: z.string().min(1),
    tokenLabel: z.string().min(1),
    pinFile: z.string().nullable().default(null),
    pinEnv: z.string().nullable().default('OBNOVA_CA_HSM_PIN'),
    /** SOFTHSM2_CONF for SoftHSM tokens kept in the CA directory; null uses the environment's. */
    softhsmConf: z.string().nullable().default(null),
    signQueueLimit: z.number().int().positive().default(1024),
    /** PKCS#11 sessions signing in parallel. Keep 1 with SoftHSM: parallel C_Sign on two sessions corrupted its heap in our bench. */
    sessions: z.number().int().min(1).max(16).default(1),
  }),
  keys: z.object({
    root: z.object({ label: z.string(), spec: keySpecSchema }),
    issuing: z.object({ label: z.string(), spec: keySpecSchema }),
    ocsp: z.object({ label: z.string(), spec: keySpecSchema }),
  }),
  certificates: z.object({ root: z.string(), issuing: z.string(), ocsp: z.string() }),
  crl: z.object({ validityHours: z.number().positive().default(24), refreshMinutes: z.number().positive().default(60) }),
  ocsp: z.object({
    validityMinutes: z.number().positive().default(60),
    /** How often the responder looks for revocations made by other processes (the CLI). */
    pollMs: z.number().int().positive().default(1000),
    cacheLimit: z.number().int().positive().default(100_000),
    /** Fresh HSM signatures (cache misses) one client may cause, per second and at once; beyond that it gets tryLater. */
    clientSignaturesPerSecond: z.number().positive().default(20),
    clientSignatureBurst: z.number().int().positive().default(40),
  }),
});
export type CaConfigFile = z.infer<typeof caConfigSchema>;

/** A loaded config: paths made absolute, the directory it came from. */
export type CaConfig = CaConfigFile & { dir: string };

/** Reads DIR/obnova-ca.json; OBNOVA_CA_DATABASE overrides the database URL. */
export function loadConfig(dir: string, env: NodeJS.ProcessEnv = process.env): CaConfig {
  const file = join(dir, configFileName);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new ObnovaError('CA_NOT_INITIALIZED', `cannot read ${file}; run obnova-ca init first`, { file }, { cause });
  }
  const parsed = caConfigSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ObnovaError('CA_CONFIG_INVALID', `${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, {
      file,
    });
  }
  const absDir = resolve(dir);
  const config: CaConfig = { ...parsed.data, dir: absDir };
  if (env.OBNOVA_CA_DATABASE) config.database = env.OBNOVA_CA_DATABASE;
  const abs = (p: string) => (isAbsolute(p) ? p : join(absDir, p));
  config.certificates = { root: abs(config.certificates.root), issuing: abs(config.certificates.issuing), ocsp: abs(config.certificates.ocsp) };
  if (config.hsm.pinFile) config.hsm.pinFile = abs(config.hsm.pinFile);
  if (config.listen.tls) config.listen.tls = { certFile: abs(config.listen.tls.certFile), keyFile: abs(config.listen.tls.keyFile) };
  if (config.hsm.softhsmConf) config.hsm.softhsmConf = abs(config.hsm.softhsmConf);
  if (config.database.startsWith('sqlite:')) {
    const path = config.database.slice('sqlite:'.length);
    config.database = `sqlite:${path === ':memory:' ? path : abs(path)}`;
  }
  return config;
}

/** The HSM user PIN from the PIN file, else from the named environment variable. */
export function readHsmPin(config: Pick<CaConfig, 'hsm'>, env: NodeJS.ProcessEnv = process.env): string {
  if (config.hsm.pinFile) {
    try {
      const pin = readFileSync(config.hsm.pinFile, 'utf8').trim();
      if (pin) return pin;
    } catch (cause) {
      throw new ObnovaError('CA_HSM_PIN_MISSING', `cannot read the HSM PIN file ${config.hsm.pinFile}`, { file: config.hsm.pinFile }, { cause });
    }
  }
  const fromEnv = config.hsm.pinEnv ? env[config.hsm.pinEnv] : undefined;
  if (fromEnv) return fromEnv;
  throw new ObnovaError('CA_HSM_PIN_MISSING', 'no HSM PIN: set hsm.pinFile or the environment variable named by hsm.pinEnv');
}

/** Points SoftHSM at the CA directory's token store before the module is first initialised. */
export function applyHsmEnvironment(config: Pick<CaConfig, 'hsm'>): void {
  if (config.hsm.softhsmConf) process.env.SOFTHSM2_CONF = config.hsm.softhsmConf;
}
