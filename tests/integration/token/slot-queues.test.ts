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

/** Largest gap between 5 ms timer ticks while `work` runs: how long the event loop was blocked. */
async function maxEventLoopGap<T>(work: () => Promise<T>): Promise<{ gap: number; result: T; ms: number }> {
  let last = performance.now();
  let gap = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    gap = Math.max(gap, now - last);
    last = now;
  }, 5);
  const started = performance.now();
  try {
    const result = await work();
    return { gap, result, ms: performance.now() - started };
  } finally {
    clearInterval(timer);
  }
}

describe('slot queues', () => {
  it('keeps the event loop responsive during RSA-2048 generation', async () => {
    const { gap, ms } = await maxEventLoopGap(() => service.generateKeyPair(a.slotId, { type: 'RSA', size: 2048, label: 'responsive' }));
    console.log(`RSA-2048 generation: ${ms.toFixed(0)} ms, longest event-loop gap ${gap.toFixed(1)} ms`);
    expect(gap).toBeLessThan(Math.max(50, ms / 4));
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
