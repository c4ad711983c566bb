/** The holder's settings, stored in the app data folder and validated on every read and write. */
import { z } from 'zod';
import { localeSchema } from './app.js';

export const logLevelSchema = z.enum(['error', 'warn', 'info', 'debug']);
export type LogLevel = z.infer<typeof logLevelSchema>;

/** http(s) only; plain http is accepted here and refused later for anything but loopback. */
const serviceUrlSchema = z
  .string()
  .max(2048)
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'https:' || url.protocol === 'http:') && url.username === '' && url.password === '';
    } catch {
      return false;
    }
  }, 'an http(s) address without user name or password');

/** An absolute path of a PKCS#11 library (POSIX or Windows form). */
const modulePathSchema = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\'), 'an absolute path');

export const settingsSchema = z
  .object({
    /** null: follow the operating system's language. */
    language: localeSchema.nullable(),
    /** The id of a file in native-config/deployments/. */
    deployment: z.string().regex(/^[a-z0-9][a-z0-9-]*$/).max(64),
    /** null: the deployment's service URL. */
    serviceUrl: serviceUrlSchema.nullable(),
    /** PKCS#11 libraries to try besides the known middleware paths. */
    extraModulePaths: z.array(modulePathSchema).max(16),
    /** Days before expiry from which the app reminds the holder. */
    reminderLeadDays: z.number().int().min(1).max(365),
    logLevel: logLevelSchema,
  })
  .strict();
export type Settings = z.infer<typeof settingsSchema>;

/** A change to some settings; the rest stay as they are. */
export const settingsUpdateSchema = settingsSchema.partial().strict();
export type SettingsUpdate = z.infer<typeof settingsUpdateSchema>;

export const deploymentSchema = z
  .object({
    $schema: z.string().optional(),
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
    name: z.string().min(1),
    market: z.enum(['SI', 'RS']),
    serviceUrl: serviceUrlSchema,
    /**
     * The CA's CMP endpoint (RFC 6712 / RFC 9811, e.g. `…/.well-known/cmp`). When set, Receive gets the new
     * certificate by a CMP key update (kur, RFC 9483 §4.1.3) instead of protocol v1's pickup.
     */
    cmpUrl: serviceUrlSchema.optional(),
    example: z.boolean().optional(),
    note: z.string().optional(),
  })
  .strict();
export type Deployment = z.infer<typeof deploymentSchema>;

export const settingsViewSchema = z.object({
  settings: settingsSchema,
  defaults: settingsSchema,
  deployments: z.array(deploymentSchema.omit({ $schema: true })),
  /** The service URL in effect: serviceUrl, else the chosen deployment's. */
  effectiveServiceUrl: z.string().nullable(),
  /** Where the settings file is (shown to helpdesk staff). */
  path: z.string(),
});
export type SettingsView = z.infer<typeof settingsViewSchema>;
