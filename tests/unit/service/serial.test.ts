import { describe, expect, it } from 'vitest';
import { randomSerial } from '../../../src-service/ca/serial.js';

describe('randomSerial', () => {
  it('gives 20 bytes, positive, minimally encodable, and does not repeat', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const serial = randomSerial();
      expect(serial).toMatch(/^[0-9a-f]{40}$/);
      const first = parseInt(serial.slice(0, 2), 16);
      expect(first).toBeGreaterThan(0);
      expect(first).toBeLessThan(0x80);
      seen.add(serial);
    }
    expect(seen.size).toBe(2000);
  });
});
