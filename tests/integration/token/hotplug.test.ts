/**
 * Tokens created and deleted by another process (softhsm2-util) while a service runs. SoftHSM2 keeps the
 * token list it read at C_Initialize, so only a module marked tokenRescan "reinitialize" sees the change.
 * Both services share one dlopen()ed library, so the cases run in order and each closes its service.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createTokenService } from '../../../src-main/token/token-service.js';
import { createSoftHsm } from '../../helpers/softhsm.js';

const hsm = createSoftHsm();
afterAll(() => hsm.cleanup());

const labels = async (service: ReturnType<typeof createTokenService>): Promise<string[]> =>
  (await service.listTokens()).tokens.map((t) => t.label).sort();

function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const check = (): void => {
      if (condition()) resolve();
      else if (Date.now() - started > timeoutMs) reject(new Error('timed out'));
      else setTimeout(check, 20);
    };
    check();
  });
}

describe('SoftHSM2 and tokens made by another process', () => {
  it('with tokenRescan "slot-list", C_GetSlotList does not show a token created after C_Initialize', async () => {
    hsm.createToken({ label: 'First' });
    const service = createTokenService({ module: { path: hsm.modulePath, source: 'argument', name: null, tokenRescan: 'slot-list' } });
    expect(await labels(service)).toEqual(['First']);
    hsm.createToken({ label: 'Second' });
    expect(await labels(service)).toEqual(['First']);
    await service.close();
  });

  it('with tokenRescan "reinitialize", listTokens and watch() see tokens come and go', async () => {
    const service = createTokenService({ module: { path: hsm.modulePath, source: 'probe', name: 'SoftHSM 2', tokenRescan: 'reinitialize' } });
    expect(await labels(service)).toEqual(['First', 'Second']);

    let changes = 0;
    const stop = service.watch(() => changes++, 50);
    // Several quiet polls first: no change, no call.
    await new Promise((r) => setTimeout(r, 300));
    expect(changes).toBe(0);

    const third = hsm.createToken({ label: 'Third' });
    await waitFor(() => changes === 1);
    expect(await labels(service)).toEqual(['First', 'Second', 'Third']);
    expect((await service.listCertificates({ slotId: third.slotId })).notices).toHaveLength(1);

    hsm.deleteToken('First');
    await waitFor(() => changes === 2);
    expect(await labels(service)).toEqual(['Second', 'Third']);

    stop();
    hsm.createToken({ label: 'Fourth' });
    await new Promise((r) => setTimeout(r, 200));
    expect(changes).toBe(2);
    await service.close();
  });

  it('close() stops watchers and a closed service loads the module again on the next call', async () => {
    const service = createTokenService({ module: { path: hsm.modulePath, source: 'probe', name: 'SoftHSM 2', tokenRescan: 'reinitialize' } });
    let changes = 0;
    service.watch(() => changes++, 20);
    await service.close();
    hsm.createToken({ label: 'Fifth' });
    await new Promise((r) => setTimeout(r, 100));
    expect(changes).toBe(0);
    expect(await labels(service)).toEqual(['Fifth', 'Fourth', 'Second', 'Third']);
    await service.close();
  });
});
