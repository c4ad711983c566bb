/** Maps an operating-system or browser locale string to the locale Obnova will speak. */
import { fallbackLocale, isLocale, type Locale } from './locales.js';

/** Regions where Serbian is written in Latin script by default (CLDR likely subtags). */
const latinSerbianRegions = new Set(['ME']);

/**
 * `sl-SI` → `sl`; `sr-Latn-RS` → `sr-Latn`; `sr-RS`/`sr` → `sr-Cyrl` (CLDR's default script for
 * Serbian, and the official one in Serbia); anything else → `en`. Accepts POSIX forms such as
 * `sr_RS.UTF-8@latin`, which Linux desktops hand to Electron and the CLI.
 */
export function resolveLocale(systemLocale: string | null | undefined): Locale {
  if (!systemLocale) return fallbackLocale;
  const trimmed = systemLocale.trim();
  if (isLocale(trimmed)) return trimmed;

  // POSIX: language_REGION.codeset@modifier — "@latin" is how glibc spells the Latin script.
  const [withoutModifier = '', modifier = ''] = trimmed.split('@');
  const tag = (withoutModifier.split('.')[0] ?? '').replace(/_/g, '-');
  const subtags = tag.toLowerCase().split('-').filter((s) => s.length > 0);
  const language = subtags[0];

  if (language === 'sl') return 'sl';
  // `sh` is the retired tag for Serbo-Croatian, always written in Latin script.
  if (language === 'sh') return 'sr-Latn';
  if (language === 'sr') {
    if (modifier.toLowerCase() === 'latin' || subtags.includes('latn')) return 'sr-Latn';
    if (subtags.includes('cyrl')) return 'sr-Cyrl';
    const region = subtags.find((s) => s.length === 2 && s !== language)?.toUpperCase();
    if (region && latinSerbianRegions.has(region)) return 'sr-Latn';
    return 'sr-Cyrl';
  }
  return fallbackLocale;
}
