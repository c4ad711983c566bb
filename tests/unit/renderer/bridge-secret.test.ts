import { describe, expect, it } from 'vitest';
import { bridgeSecretStorageKey, takeBridgeSecret, type BridgeSecretEnv } from '../../../src-renderer/src/bridge/bridge-secret.js';

function page(hash: string, stored?: string) {
  const items = new Map<string, string>(stored ? [[bridgeSecretStorageKey, stored]] : []);
  const replaced: string[] = [];
  const env: BridgeSecretEnv = {
    location: { hash, pathname: '/', search: '' },
    history: { state: null, replaceState: (_d, _u, url) => void replaced.push(url ?? '') },
    storage: { getItem: (k) => items.get(k) ?? null, setItem: (k, v) => void items.set(k, v) },
  };
  return { env, items, replaced };
}

describe('takeBridgeSecret', () => {
  it('takes the secret from the fragment, stores it for this tab and removes it from the address', () => {
    const { env, items, replaced } = page('#token=s3cr3t-_X');
    expect(takeBridgeSecret(env)).toBe('s3cr3t-_X');
    expect(items.get(bridgeSecretStorageKey)).toBe('s3cr3t-_X');
    expect(replaced).toEqual(['/']);
  });

  it('uses the stored secret after a reload, without touching history', () => {
    const { env, replaced } = page('', 'kept');
    expect(takeBridgeSecret(env)).toBe('kept');
    expect(replaced).toEqual([]);
  });

  it('prefers a new secret in the fragment over a stored one', () => {
    const { env } = page('#token=new', 'old');
    expect(takeBridgeSecret(env)).toBe('new');
  });

  it('has no secret when neither the fragment nor storage holds one, and survives storage that throws', () => {
    expect(takeBridgeSecret(page('#main').env)).toBeNull();
    const { env } = page('#token=abc');
    env.storage = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('denied'); } };
    expect(takeBridgeSecret(env)).toBe('abc');
    expect(takeBridgeSecret({ ...env, location: { hash: '', pathname: '/', search: '' } })).toBeNull();
  });
});
