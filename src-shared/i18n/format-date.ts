/** Dates in the holder's locale (sl-SI, sr-Latn-RS, sr-Cyrl-RS, en-GB) via Intl, in local time. */
import { intlTags, type Locale } from './locales.js';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: Locale, options: Intl.DateTimeFormatOptions, timeZone: string | undefined): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}|${timeZone ?? ''}`;
  let cached = formatters.get(key);
  if (!cached) {
    cached = new Intl.DateTimeFormat(intlTags[locale], timeZone ? { ...options, timeZone } : options);
    formatters.set(key, cached);
  }
  return cached;
}

/**
 * A calendar date such as "5. marec 2027", "5. mart 2027" or "5 March 2027"; timeZone is for tests. Serbian
 * CLDR ends the date with a period ("5. mart 2027."), which doubled the full stop of every sentence ending in
 * a date ("ističe 5. mart 2027.."); the sentences bring their own, so the date's is dropped.
 */
export function formatDate(value: string | Date, locale: Locale, timeZone?: string): string {
  return formatter(locale, { dateStyle: 'long' }, timeZone)
    .format(typeof value === 'string' ? new Date(value) : value)
    .replace(/\.$/, '');
}

/** A date with hours and minutes, for "valid from/until" details where the time matters. */
export function formatDateTime(value: string | Date, locale: Locale, timeZone?: string): string {
  return formatter(locale, { dateStyle: 'long', timeStyle: 'short' }, timeZone).format(typeof value === 'string' ? new Date(value) : value);
}
