/** Error codes in words a card holder understands, without React: for the CLI, main-process dialogs and the UI. */
import { errorCodes, type ErrorCode, type ErrorDetails } from '../contract/errors.js';
import { sharedI18n } from './create-i18n.js';
import type { Locale } from './locales.js';

function isErrorCode(code: string): code is ErrorCode {
  return (errorCodes as readonly string[]).includes(code);
}

/**
 * What happened and what to do, for one error code. Unknown codes (e.g. from a newer service)
 * get a general sentence rather than a raw key, so callers always have something to show.
 */
export function describeError(code: string, locale: Locale, details?: ErrorDetails): string {
  const t = sharedI18n().getFixedT(locale);
  const fallback = t('errorFallback');
  if (!isErrorCode(code)) return fallback;
  return t(`errors.${code}`, { ...details, defaultValue: fallback });
}
