import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, readHsmPin } from '../../../src-service/config.js';

const valid = {
  market: 'si',
  name: 'Test CA',
  baseUrl: 'http://127.0.0.1:8480',
  listen: { host: '127.0.0.1', port: 8480 },
  database: 'sqlite:ca.sqlite',
  hsm: { module: '/usr/lib/softhsm/libsofthsm2.so', tokenLabel: 'ca', pinFile: 'pin' },
  keys: { root: { label: 'r', spec: 'EC-P256' }, issuing: { label: 'i', spec: 'EC-P256' }, ocsp: { label: 'o', spec: 'EC-P256' } },
  certificates: { root: 'root.pem', issuing: 'issuing.pem', ocsp: 'ocsp.pem' },
  crl: {},
  ocsp: {},
};

function dirWith(config: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'obnova-ca-config-'));
  writeFileSync(join(dir, 'obnova-ca.json'), JSON.stringify(config));
  return dir;
}

describe('CA config', () => {
  it('resolves paths against the CA directory and lets OBNOVA_CA_DATABASE override the database', () => {
    const dir = dirWith(valid);
    const config = loadConfig(dir, {});
    expect(config.database).toBe(`sqlite:${join(dir, 'ca.sqlite')}`);
    expect(config.certificates.root).toBe(join(dir, 'root.pem'));
    expect(config.ocsp.validityMinutes).toBe(60);
    expect(loadConfig(dir, { OBNOVA_CA_DATABASE: 'postgres://x/y' }).database).toBe('postgres://x/y');
  });

  it('names a missing and an invalid config with their own codes', () => {
    expect(() => loadConfig(join(tmpdir(), 'does-not-exist-obnova'), {})).toThrow(expect.objectContaining({ code: 'CA_NOT_INITIALIZED' }));
    expect(() => loadConfig(dirWith({ ...valid, market: 'de' }), {})).toThrow(expect.objectContaining({ code: 'CA_CONFIG_INVALID' }));
  });

  it('reads the HSM PIN from the PIN file, else from the environment, and never reports it', () => {
    const dir = dirWith(valid);
    writeFileSync(join(dir, 'pin'), '4321\n');
    const config = loadConfig(dir, {});
    expect(readHsmPin(config, { OBNOVA_CA_HSM_PIN: '9999' })).toBe('4321');
    const noFile = { hsm: { ...config.hsm, pinFile: null } };
    expect(readHsmPin(noFile, { OBNOVA_CA_HSM_PIN: '9999' })).toBe('9999');
    try {
      readHsmPin(noFile, {});
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'CA_HSM_PIN_MISSING' });
      expect(JSON.stringify(error)).not.toContain('9999');
    }
  });
});
