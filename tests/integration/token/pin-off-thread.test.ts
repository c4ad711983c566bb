/**
 * The worker-thread PIN calls used for PIN-pad readers (the holder types on the reader while the app keeps
 * running). SoftHSM has no PIN pad, so the worker is given the PIN here (card-shim-pins.test.ts types on a pad).
 */
import pkcs11js from 'pkcs11js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ObnovaError } from '../../../src-shared/contract/errors.js';
import { loginOffThread } from '../../../src-main/token/pin-off-thread.js';
import { slotIdOf } from '../../../src-main/token/slot.js';
import { createSoftHsm, type SoftHsmToken } from '../../helpers/softhsm.js';

const hsm = createSoftHsm();
const lib = new pkcs11js.PKCS11();
let token: SoftHsmToken;
let session: Buffer;

beforeAll(() => {
  token = hsm.createToken({ label: 'Pad', pin: '2468' });
  lib.load(hsm.modulePath);
  lib.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK });
  const slot = lib.C_GetSlotList(true).find((h) => slotIdOf(h) === token.slotId)!;
  session = lib.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
});
afterAll(() => {
  lib.C_CloseAllSessions(lib.C_GetSlotList(true)[0]!);
  lib.C_Finalize();
  lib.close();
  hsm.cleanup();
});

describe('C_Login on a worker thread', () => {
  it('a wrong PIN comes back as TOKEN_PIN_INCORRECT, without the PIN', async () => {
    const error = await loginOffThread(hsm.modulePath, session, '1357').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ObnovaError);
    expect((error as ObnovaError).code).toBe('TOKEN_PIN_INCORRECT');
    expect(JSON.stringify((error as ObnovaError).toValue())).not.toContain('1357');
  });

  it("logs the main thread's session in, while the event loop keeps running", async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    await loginOffThread(hsm.modulePath, session, token.pin);
    clearInterval(timer);
    // CKS_RW_USER_FUNCTIONS = 3 (PKCS#11 v2.40 §3.6)
    expect(lib.C_GetSessionInfo(session).state).toBe(3);
    expect(ticks).toBeGreaterThan(0);
  });
});
