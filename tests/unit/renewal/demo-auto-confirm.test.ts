/** The demo hook is off by default and only for loopback hosts. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isLoopbackHost } from '../../../src-service/renewal/demo-auto-confirm.js';
import { loadRenewalConfig } from '../../../src-service/renewal/renewal-config.js';

describe('demo.autoConfirmPaymentsAfterMs', () => {
  it('is off unless configured, and read from obnova-renewal.json', () => {
    const dir = mkdtempSync(join(tmpdir(), 'obnova-demo-config-'));
    try {
      expect(loadRenewalConfig(dir, {}).demo.autoConfirmPaymentsAfterMs).toBeNull();
      writeFileSync(join(dir, 'obnova-renewal.json'), JSON.stringify({ demo: { autoConfirmPaymentsAfterMs: 5000 } }));
      expect(loadRenewalConfig(dir, {}).demo.autoConfirmPaymentsAfterMs).toBe(5000);
      writeFileSync(join(dir, 'obnova-renewal.json'), JSON.stringify({ demo: { autoConfirm: true } }));
      expect(() => loadRenewalConfig(dir, {})).toThrow(expect.objectContaining({ code: 'CA_CONFIG_INVALID' }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('knows loopback hosts', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']) expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '10.0.0.1', 'example.org', '128.0.0.1', '127.0.0.1.example.org']) expect(isLoopbackHost(host), host).toBe(false);
  });
});
