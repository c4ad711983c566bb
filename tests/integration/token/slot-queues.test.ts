/**
 * One queue per slot: calls to one token never interleave, calls to two tokens run side by side, and a
 * key generation runs off the main thread (C_GenerateKeyPairAsync) so the event loop keeps ticking.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenService, type TokenService } from '../../../src-main/token/token-service.js';
import { createSoftHsm, type SoftHsmToken } from '../../helpers/softhsm.js';

const hsm = createSoftHsm();
let a: SoftHsmToken;
let b: SoftHsmToken;
let service: TokenService;

beforeAll(async () => {
  a = hsm.createToken({ label: 'A' });
  b = hsm.createToken({ label: 'B' });
  service = createTokenService({ module: { path: hsm.modulePath, source: 'probe', name: 'SoftHSM 2', tokenRescan: 'reinitialize' } });
  await service.login(a.slotId, a.pin);
  await service.login(b.slotId, b.pin);
});
afterAll(async () => {
  await service.close();
  hsm.cleanup();
});

/**
 * Timer ticks that ran while `work` ran, and the largest gap between them. A call that blocks the
 * event loop lets no tick run until it returns; the gap is printed for the curious, never asserted
 * (timings depend on the machine's load).
 */
async function eventLoopDuring<T>(work: () => Promise<T>): Promise<{ ticks: number; gap: number; result: T; ms: number }> {
  let last = performance.now();
  let gap = 0;
  let ticks = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    gap = Math.max(gap, now - last);
    last = now;
    ticks++;
  }, 5);
  const started = performance.now();
  try {
    const result = await work();
    return { ticks, gap, result, ms: performance.now() - started };
  } finally {
    clearInterval(timer);
  }
}

describe('slot queues', () => {
  it('keeps the event loop responsive during RSA-2048 generation', async () => {
    const { ticks, gap, ms } = await eventLoopDuring(() => service.generateKeyPair(a.slotId, { type: 'RSA', size: 2048, label: 'responsive' }));
    console.log(`RSA-2048 generation: ${ms.toFixed(0)} ms, ${ticks} timer ticks, longest event-loop gap ${gap.toFixed(1)} ms`);
    // Generated synchronously, not one tick could run before the key came back.
    expect(ticks).toBeGreaterThanOrEqual(2);
  });

  it('runs one token in order and two tokens side by side', async () => {
    const events: string[] = [];
    const keyB = await service.generateKeyPair(b.slotId, { type: 'EC', curve: 'P-256', label: 'b' });
    const longA = service.generateKeyPair(a.slotId, { type: 'RSA', size: 3072, label: 'long' }).then(() => events.push('A: generated'));
    const afterA = service.pinState(a.slotId).then(() => events.push('A: pin state'));
    const signB = service
      .signer(b.slotId, keyB.id, 'ECDSA-P256-SHA256')
      .sign(new Uint8Array([1, 2, 3]))
      .then(() => events.push('B: signed'));
    await Promise.all([longA, afterA, signB]);
    expect(events.indexOf('A: generated')).toBeLessThan(events.indexOf('A: pin state'));
    expect(events[0]).toBe('B: signed');
  });
});
