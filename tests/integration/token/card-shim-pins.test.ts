/**
 * What SoftHSM alone cannot show, on SoftHSM tokens behind the card shim (tests/helpers/pkcs11-card-shim:
 * a card's retry counter and a reader's PIN pad): wrong PINs lock the card, the PUK unblocks it, and PIN
 * login, change and unblock typed on the reader's pad — including the holder pressing Cancel.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ObnovaError } from '../../../src-shared/contract/errors.js';
import type { PinUnblockStrategy } from '../../../src-main/token/native-config.js';
import { createTokenService, type TokenService } from '../../../src-main/token/token-service.js';
import { type CardShim, createCardShim } from '../../helpers/pkcs11-card-shim/card-shim.js';
import { addAlwaysAuthenticateKeyPair, createSoftHsm, type SoftHsmToken } from '../../helpers/softhsm.js';

const hsm = createSoftHsm();
let shim: CardShim;
let typed: SoftHsmToken;
let pad: SoftHsmToken;
let service: TokenService;
const onPad = { pinPad: true } as const;

const serviceWith = (strategy: PinUnblockStrategy): TokenService =>
  createTokenService({ module: { path: shim.modulePath, source: 'argument', name: 'SoftHSM 2', tokenRescan: 'reinitialize', pinUnblockStrategy: strategy } });

beforeAll(() => {
  typed = hsm.createToken({ label: 'Keyboard card', pin: '11112222', soPin: '99998888' });
  pad = hsm.createToken({ label: 'Pad card', pin: '33334444', soPin: '77776666' });
  shim = createCardShim(hsm, { pinPad: [pad.serial] });
  service = serviceWith('so-login-init-pin');
});
afterAll(async () => {
  await service.close();
  hsm.cleanup();
});

async function failure(promise: Promise<unknown>): Promise<ObnovaError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e,
  );
  if (!(error instanceof ObnovaError)) throw error;
  return error;
}

const loginWorks = (token: SoftHsmToken, pin: string): boolean => {
  try {
    shim.pkcs11Tool(['--token-label', token.label, '--login', '--pin', pin, '--list-objects']);
    return true;
  } catch {
    return false;
  }
};

describe('a card locked by wrong PINs', () => {
  it('counts down, locks on the third wrong PIN (TOKEN_PIN_LOCKED, triesLeft 0) and then refuses even the right PIN', async () => {
    expect(await service.pinState(typed.slotId)).toMatchObject({ countLow: false, finalTry: false, locked: false });
    const first = await failure(service.login(typed.slotId, '00000001'));
    expect(first.code).toBe('TOKEN_PIN_INCORRECT');
    expect(first.details).toMatchObject({ pinCountLow: true, pinFinalTry: false, pinLocked: false, triesLeft: null });
    const second = await failure(service.login(typed.slotId, '00000002'));
    expect(second.details).toMatchObject({ pinFinalTry: true, triesLeft: 1 });
    const third = await failure(service.login(typed.slotId, '00000003'));
    expect(third.code).toBe('TOKEN_PIN_LOCKED');
    expect(third.details).toMatchObject({ pinLocked: true, triesLeft: 0 });
    expect((await failure(service.login(typed.slotId, typed.pin))).code).toBe('TOKEN_PIN_LOCKED');
    expect(await service.pinState(typed.slotId)).toMatchObject({ locked: true });
    // The counter is the card's, not the process's: another program sees the lock too.
    expect(shim.pkcs11Tool(['-T'])).toMatch(/Keyboard card[\s\S]*user PIN locked/);
    expect(loginWorks(typed, typed.pin)).toBe(false);
  });

  it('unblocks with the PUK (a wrong PUK first costs a PUK try): the new PIN logs in, all PIN tries are back', async () => {
    expect((await failure(service.unblockPin(typed.slotId, '12121212', '55556666'))).code).toBe('TOKEN_PUK_INCORRECT');
    expect(shim.triesLeft(typed.serial)).toEqual({ pin: 0, puk: 9 });
    const after = await service.unblockPin(typed.slotId, typed.soPin, '55556666');
    expect(after).toMatchObject({ locked: false, countLow: false, finalTry: false });
    expect(shim.triesLeft(typed.serial)).toEqual({ pin: 3, puk: 10 });
    await service.login(typed.slotId, '55556666');
    expect(await service.isLoggedIn(typed.slotId)).toBe(true);
  });

  it('a wrong current PIN in a PIN change counts as a wrong try', async () => {
    await service.logout(typed.slotId);
    expect((await failure(service.changePin(typed.slotId, '00000004', '12345678'))).code).toBe('TOKEN_PIN_INCORRECT');
    expect(shim.triesLeft(typed.serial).pin).toBe(2);
    await service.changePin(typed.slotId, '55556666', '12345678');
    expect(shim.triesLeft(typed.serial).pin).toBe(3);
    expect(loginWorks(typed, '12345678')).toBe(true);
  });
});

describe('a reader with a PIN pad', () => {
  it('reports the pad, and refuses pad entry on a card whose reader has none', async () => {
    expect((await service.pinState(pad.slotId)).protectedAuthenticationPath).toBe(true);
    expect((await service.pinState(typed.slotId)).protectedAuthenticationPath).toBe(false);
    expect((await failure(service.changePin(typed.slotId, onPad, onPad))).code).toBe('INPUT_INVALID');
  });

  it('logs in with the PIN typed on the reader; Cancel on the reader is CANCELLED and costs no try', async () => {
    shim.typeOnPad('CANCEL');
    expect((await failure(service.login(pad.slotId, onPad))).code).toBe('CANCELLED');
    expect(shim.triesLeft(pad.serial).pin).toBe(3);
    shim.typeOnPad(pad.pin);
    await service.login(pad.slotId, onPad);
    expect(await service.isLoggedIn(pad.slotId)).toBe(true);
    expect(shim.padPending()).toEqual([]);
  });

  it('in a sitting logged in on the pad, a key that wants the PIN per signature (CKA_ALWAYS_AUTHENTICATE) asks the pad each time', async () => {
    await service.logout(pad.slotId);
    addAlwaysAuthenticateKeyPair(hsm, pad, { id: 'a1', label: 'qualified signature key' });
    shim.typeOnPad(pad.pin);
    await service.login(pad.slotId, onPad);
    // No requestPin: the renewal passes none; the sitting's pad login is what makes the signer ask the pad.
    const signer = service.signer(pad.slotId, 'a1', 'ECDSA-P256-SHA256');
    shim.typeOnPad(pad.pin);
    expect((await signer.sign(new Uint8Array([1, 2, 3]))).byteLength).toBeGreaterThan(0);
    expect(shim.padPending()).toEqual([]);
    shim.typeOnPad('CANCEL');
    expect((await failure(signer.sign(new Uint8Array([4])))).code).toBe('CANCELLED');
    // A sitting whose PIN was typed has no pad to fall back on: the caller must prompt (as before).
    await service.logout(pad.slotId);
    await service.login(pad.slotId, pad.pin);
    expect((await failure(service.signer(pad.slotId, 'a1', 'ECDSA-P256-SHA256').sign(new Uint8Array([5])))).code).toBe('TOKEN_NOT_LOGGED_IN');
    expect(shim.padPending()).toEqual([]);
  });

  it('changes the PIN on the pad: the call waits for the holder, who types the current PIN and the new one', async () => {
    await service.logout(pad.slotId);
    let settled = false;
    const change = service.changePin(pad.slotId, onPad, onPad).finally(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(settled).toBe(false);
    shim.typeOnPad(pad.pin, '24682468');
    expect(await change).toMatchObject({ locked: false, protectedAuthenticationPath: true });
    // The old PIN is refused (which costs a try, as on a card), the new one works (and gives the tries back).
    expect(loginWorks(pad, pad.pin)).toBe(false);
    expect(loginWorks(pad, '24682468')).toBe(true);
  });

  it('a wrong current PIN on the pad costs a try; a cancelled change changes nothing', async () => {
    const before = shim.triesLeft(pad.serial).pin;
    shim.typeOnPad('13571357', '11111111');
    expect((await failure(service.changePin(pad.slotId, onPad, onPad))).code).toBe('TOKEN_PIN_INCORRECT');
    expect(shim.triesLeft(pad.serial).pin).toBe(before - 1);
    shim.typeOnPad('CANCEL');
    expect((await failure(service.changePin(pad.slotId, onPad, onPad))).code).toBe('CANCELLED');
    expect(loginWorks(pad, '24682468')).toBe(true);
  });

  it('unblocks a locked card on the pad (SO login + C_InitPIN): Cancel first, then the PUK and the new PIN', async () => {
    for (const wrong of ['1', '2', '3']) await failure(service.login(pad.slotId, `9999000${wrong}`));
    expect(await service.pinState(pad.slotId)).toMatchObject({ locked: true });
    shim.typeOnPad('CANCEL');
    expect((await failure(service.unblockPin(pad.slotId, onPad, onPad))).code).toBe('CANCELLED');
    expect(await service.pinState(pad.slotId)).toMatchObject({ locked: true });
    shim.typeOnPad(pad.soPin, '86428642');
    expect(await service.unblockPin(pad.slotId, onPad, onPad)).toMatchObject({ locked: false });
    expect(loginWorks(pad, '86428642')).toBe(true);
  });

  it('unblocks on the pad with the set-pin-unauthenticated strategy (C_SetPIN(PUK, new) as OpenSC cards do)', async () => {
    for (const wrong of ['4', '5', '6']) await failure(service.login(pad.slotId, `9999000${wrong}`));
    await service.close();
    service = serviceWith('set-pin-unauthenticated');
    expect(await service.pinState(pad.slotId)).toMatchObject({ locked: true });
    shim.typeOnPad('11223344', '97539753');
    expect((await failure(service.unblockPin(pad.slotId, onPad, onPad))).code).toBe('TOKEN_PUK_INCORRECT');
    shim.typeOnPad(pad.soPin, '97539753');
    expect(await service.unblockPin(pad.slotId, onPad, onPad)).toMatchObject({ locked: false });
    await service.login(pad.slotId, '97539753');
  });
});
