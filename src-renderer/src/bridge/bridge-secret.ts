/**
 * The web-mode bridge secret: read once from the URL fragment (`#token=…`, never sent to a server),
 * kept in sessionStorage for reloads of this tab, and removed from the address bar and history.
 */

export interface BridgeSecretEnv {
  location: { hash: string; pathname: string; search: string };
  history: { state: unknown; replaceState(data: unknown, unused: string, url?: string | null): void };
  storage: { getItem(key: string): string | null; setItem(key: string, value: string): void } | undefined;
}

export const bridgeSecretStorageKey = 'obnova.bridgeSecret';

/** The secret from the fragment (which it then strips) or from this tab's storage; null if neither has one. */
export function takeBridgeSecret(env: BridgeSecretEnv): string | null {
  const fromHash = new URLSearchParams(env.location.hash.replace(/^#/, '')).get('token');
  if (fromHash) {
    try {
      env.storage?.setItem(bridgeSecretStorageKey, fromHash);
    } catch {
      // Storage can be disabled; the secret still works for this page load.
    }
    // Out of the address bar, so it is not copied, bookmarked or shown on a shared screen.
    env.history.replaceState(env.history.state, '', `${env.location.pathname}${env.location.search}`);
    return fromHash;
  }
  try {
    return env.storage?.getItem(bridgeSecretStorageKey) ?? null;
  } catch {
    return null;
  }
}
