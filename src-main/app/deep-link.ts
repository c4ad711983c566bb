/**
 * obnova:// links from the CA's e-mails ("your certificate is ready"). A link is untrusted input:
 * only the forms below are accepted, and they only choose what the app shows — never an action.
 *
 *   obnova://orders/<orderId>   open the renewal order
 *   obnova://renew              open the renewal start
 */
import type { EventPayload } from '../../src-shared/contract/index.js';

export type DeepLink = EventPayload<'app.link-opened'>;

const maxLinkLength = 256;
const orderIdPattern = /^[A-Za-z0-9_-]{1,40}$/;

/** The link's meaning, or undefined for anything that is not one of Obnova's own link forms. */
export function parseDeepLink(raw: string): DeepLink | undefined {
  if (raw.length > maxLinkLength || !raw.toLowerCase().startsWith('obnova://')) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'obnova:' || url.username || url.password || url.port) return undefined;
  const segments = url.pathname.split('/').filter(Boolean);
  if (url.hostname === 'renew' && segments.length === 0) return { kind: 'renew' };
  if (url.hostname === 'orders' && segments.length === 1 && orderIdPattern.test(segments[0]!)) return { kind: 'order', orderId: segments[0]! };
  return undefined;
}

/** The first obnova:// link among command-line arguments (Windows and Linux hand links over that way). */
export function deepLinkFromArgv(argv: readonly string[]): DeepLink | undefined {
  for (const arg of argv) {
    if (arg.toLowerCase().startsWith('obnova://')) return parseDeepLink(arg);
  }
  return undefined;
}
