/**
 * Removing secrets from text that goes into a support bundle. Two passes: values under secret keys
 * (JSON anywhere, `key=value` / `key: value` in plain text, Bearer credentials, `#token=` fragments) are
 * replaced and remembered; then every remembered value is removed wherever else it appears.
 */

/** Keys whose values are secrets, compared case-insensitively with "-" and "_" ignored. */
export const secretKeys = [
  'pin',
  'puk',
  'newpin',
  'oldpin',
  'sopin',
  'userpin',
  'newpuk',
  'secret',
  'token',
  'accesstoken',
  'refreshtoken',
  'bridgetoken',
  'authorization',
  'password',
  'passphrase',
  'cookie',
  'apikey',
  'privatekey',
] as const;

export const redacted = '[redacted]';

const secretKeySet: ReadonlySet<string> = new Set(secretKeys);

/** True when `key` names a secret (pin, accessToken, access_token, X-Auth-Token is not: exact names only). */
export function isSecretKey(key: string): boolean {
  return secretKeySet.has(key.toLowerCase().replace(/[-_]/g, ''));
}

/** Collects secret values seen while scrubbing, so a second pass can remove them everywhere. */
export class SecretHarvest {
  private readonly values = new Set<string>();

  add(value: string): void {
    // Very short values ("1", "") would erase ordinary text; PINs are 4+ characters.
    if (value.length >= 4 && value !== redacted) this.values.add(value);
  }

  get size(): number {
    return this.values.size;
  }

  /** Removes every harvested value from text, longest first so one secret inside another goes whole. */
  erase(text: string): string {
    let out = text;
    for (const value of [...this.values].sort((a, b) => b.length - a.length)) out = out.split(value).join(redacted);
    return out;
  }
}

function scrubValue(value: unknown, harvest: SecretHarvest): unknown {
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, harvest));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      if (isSecretKey(key) && inner !== null && (typeof inner === 'string' || typeof inner === 'number')) {
        harvest.add(String(inner));
        out[key] = redacted;
      } else if (isSecretKey(key) && inner !== null && typeof inner === 'object') {
        // Hidden whole, but its strings are not harvested: an object under "token" may hold a card label.
        out[key] = redacted;
      } else out[key] = scrubValue(inner, harvest);
    }
    return out;
  }
  if (typeof value === 'string') return scrubText(value, harvest);
  return value;
}

const secretKeyPattern = secretKeys.join('|');
// key=value, key: value, "key":"value" in free text; the value ends at whitespace, quote, comma, & or ;.
const keyValuePattern = new RegExp(`\\b((?:${secretKeyPattern})[-_]?)(\\s*[=:]\\s*)("?)([^\\s"',&;]+)`, 'gi');
const bearerPattern = /\b(Bearer|Basic)\s+([A-Za-z0-9._~+/=-]{4,})/g;

/** Plain text: `pin=1234`, `Authorization: Bearer …`, `#token=…` lose their values (harvested). */
export function scrubText(text: string, harvest: SecretHarvest): string {
  return text
    .replace(bearerPattern, (_m, scheme: string, value: string) => {
      harvest.add(value);
      return `${scheme} ${redacted}`;
    })
    .replace(keyValuePattern, (match, key: string, sep: string, quote: string, value: string) => {
      // Already hidden, or the scheme word of a credential the Bearer pass has hidden.
      if (value.startsWith('[redacted') || /^(Bearer|Basic)$/i.test(value)) return match;
      // Free text has false positives ("PIN: final try"): hide the value here, but only erase it
      // everywhere else when it looks like a secret (has a digit, or is long).
      if (/\d/.test(value) || value.length >= 12) harvest.add(value);
      return `${key}${sep}${quote}${redacted}`;
    });
}

/** JSON text scrubbed structurally (pretty-printed again); anything else line by line as JSON lines or text. */
export function scrubDocument(text: string, harvest: SecretHarvest): string {
  const trimmed = text.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return `${JSON.stringify(scrubValue(JSON.parse(trimmed), harvest), null, 2)}\n`;
    } catch {
      // Not one JSON document: JSON lines (pino) or text, handled below.
    }
  }
  return text
    .split('\n')
    .map((line) => {
      const t = line.trim();
      if (t.startsWith('{')) {
        try {
          return JSON.stringify(scrubValue(JSON.parse(t), harvest));
        } catch {
          // A cut-off line at the start of a rotated log: scrub it as text.
        }
      }
      return scrubText(line, harvest);
    })
    .join('\n');
}
