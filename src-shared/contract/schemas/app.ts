/** Facts about the running app that the renderer needs at start. */
import { z } from 'zod';

export const localeSchema = z.enum(['sl', 'sr-Latn', 'sr-Cyrl', 'en']);
export type Locale = z.infer<typeof localeSchema>;

export const appInfoSchema = z.object({
  name: z.literal('Obnova'),
  version: z.string(),
  mode: z.enum(['electron', 'web']),
  /** The locale the operating system asks for, mapped to one Obnova speaks. */
  systemLocale: localeSchema,
});
export type AppInfo = z.infer<typeof appInfoSchema>;
