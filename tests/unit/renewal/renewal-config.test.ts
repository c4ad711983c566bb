/** Every renewal setting is validated by its schema at start: a typo stops `serve` with CA_CONFIG_INVALID instead of switching a protection off. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadRenewalConfig } from '../../../src-service/renewal/renewal-config.js';

const invalid = expect.objectContaining({ code: 'CA_CONFIG_INVALID' });
const token = 'a-long-enough-admin-token-0123';

describe('renewal settings', () => {
  let dir: string;
  beforeEach(() => void (dir = mkdtempSync(join(tmpdir(), 'obnova-renewal-config-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads OBNOVA_RATE_LIMIT as a count, optionally per s, min or h', () => {
    expect(loadRenewalConfig(dir, { OBNOVA_RATE_LIMIT: '600/min' }).rateLimit).toEqual({ limit: 600, windowSeconds: 60 });
    expect(loadRenewalConfig(dir, { OBNOVA_RATE_LIMIT: '20/s' }).rateLimit).toEqual({ limit: 20, windowSeconds: 1 });
    expect(loadRenewalConfig(dir, { OBNOVA_RATE_LIMIT: '900' }).rateLimit).toEqual({ limit: 900, windowSeconds: 60 });
  });

  it.each(['lots', '600 per minute', '0', '-5', '600/day', '1e3'])('refuses OBNOVA_RATE_LIMIT=%s instead of turning limiting off', (value) => {
    expect(() => loadRenewalConfig(dir, { OBNOVA_RATE_LIMIT: value })).toThrow(invalid);
  });

  it.each(['abc', '70000', '80.5'])('refuses OBNOVA_ADMIN_PORT=%s', (value) => {
    expect(() => loadRenewalConfig(dir, { OBNOVA_ADMIN_PORT: value, OBNOVA_ADMIN_TOKEN: token })).toThrow(invalid);
  });

  it("accepts OBNOVA_ADMIN_PORT=off and a port number", () => {
    expect(loadRenewalConfig(dir, { OBNOVA_ADMIN_PORT: 'off' }).admin.port).toBeNull();
    expect(loadRenewalConfig(dir, { OBNOVA_ADMIN_PORT: '9443' }).admin.port).toBe(9443);
  });

  it('refuses a short admin token, from the environment or the token file', () => {
    expect(() => loadRenewalConfig(dir, { OBNOVA_ADMIN_TOKEN: 'short' })).toThrow(invalid);
    writeFileSync(join(dir, 'admin.token'), 'short\n');
    writeFileSync(join(dir, 'obnova-renewal.json'), JSON.stringify({ admin: { tokenFile: 'admin.token' } }));
    expect(() => loadRenewalConfig(dir, {})).toThrow(invalid);
  });

  it('refuses a non-loopback admin host, a missing token file and a file that is not JSON', () => {
    writeFileSync(join(dir, 'obnova-renewal.json'), JSON.stringify({ admin: { host: '0.0.0.0' } }));
    expect(() => loadRenewalConfig(dir, { OBNOVA_ADMIN_TOKEN: token })).toThrow(invalid);
    writeFileSync(join(dir, 'obnova-renewal.json'), JSON.stringify({ admin: { tokenFile: 'missing.token' } }));
    expect(() => loadRenewalConfig(dir, {})).toThrow(invalid);
    writeFileSync(join(dir, 'obnova-renewal.json'), '{ admin: ');
    expect(() => loadRenewalConfig(dir, {})).toThrow(invalid);
  });
});
