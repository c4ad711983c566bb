/**
 * PIN state, wrong PINs, PIN change and PUK unblock on SoftHSM2 — and that no PIN or PUK ends up in a
 * log line, an error, its details, its cause chain or a stack trace.
 */
import { inspect } from 'node:util';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ObnovaError } from '../../../src-shared/contract/errors.js';
import { createTokenService, type TokenService } from '../../../src-main/token/token-service.js';
import { createSoftHsm, type SoftHsmToken } from '../../helpers/softhsm.js';

// Distinctive values that occur nowhere else, so a grep finds only leaks.
const pin = '93172846';
const soPin = '55102938';
const wrongPin = '66633311';
const newPin = '48151623';
const unblockedPin = '27182818';
const secrets = [pin, soPin, wrongPin, newPin, unblockedPin];

const hsm = createSoftHsm();
let token: SoftHsmToken;
let service: TokenService;
const logLines: string[] = [];
const log = pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) });
const seenErrors: unknown[] = [];

beforeAll(() => {
  token = hsm.createToken({ label: 'Pins', pin, soPin });
  service = createTokenService({ module: { path: hsm.modulePath, source: 'probe', name: 'SoftHSM 2', tokenRescan: 'reinitialize', pinUnblockStrategy: 'so-login-init-pin' } });
});
afterAll(async () => {
  await service.close();
  hsm.cleanup();
});

/** Runs a call expected to fail, logs the error the way main does, keeps it for the leak check. */
async function failure(promise: Promise<unknown>): Promise<ObnovaError> {
  try {
    await promise;
  } catch (error) {
    seenErrors.push(error);
    log.error({ err: error }, 'token call failed');
    if (error instanceof ObnovaError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('PIN state and wrong PINs', () => {
  it('reports the flags before the PIN is typed; SoftHSM2 sets COUNT_LOW after a wrong PIN and never locks', async () => {
    expect(await service.pinState(token.slotId)).toMatchObject({ countLow: false, finalTry: false, locked: false, toBeChanged: false, soLocked: false });
    const first = await failure(service.login(token.slotId, wrongPin));
    expect(first.code).toBe('TOKEN_PIN_INCORRECT');
    expect(first.details).toMatchObject({ operation: 'C_Login', ckr: 'CKR_PIN_INCORRECT', pinCountLow: true, pinFinalTry: false, pinLocked: false, triesLeft: null });
    // The UI reads this before the next attempt.
    expect(await service.pinState(token.slotId)).toMatchObject({ countLow: true, locked: false });
    for (let i = 0; i < 9; i++) expect((await failure(service.login(token.slotId, wrongPin))).code).toBe('TOKEN_PIN_INCORRECT');
    // Finding: SoftHSM 2.6.1 has no retry counter — ten wrong PINs later it is still not locked.
    expect(await service.pinState(token.slotId)).toMatchObject({ countLow: true, finalTry: false, locked: false });
    await service.login(token.slotId, pin);
    expect(await service.pinState(token.slotId)).toMatchObject({ countLow: false });
  });
});

describe('PIN pad readers', () => {
  it('refuses a PIN-pad login on a token without CKF_PROTECTED_AUTHENTICATION_PATH (SoftHSM has none)', async () => {
    await service.logout(token.slotId);
    expect((await service.pinState(token.slotId)).protectedAuthenticationPath).toBe(false);
    expect((await failure(service.login(token.slotId, { pinPad: true }))).code).toBe('INPUT_INVALID');
    await service.login(token.slotId, pin);
  });
});

describe('PIN change and unblock', () => {
  it('checks the token length rules, changes the PIN, and the new PIN works in another process', async () => {
    expect((await failure(service.changePin(token.slotId, pin, '12'))).details).toMatchObject({ minLength: 4, maxLength: 255 });
    expect((await failure(service.changePin(token.slotId, pin, '1'.repeat(256)))).code).toBe('TOKEN_PIN_LEN_RANGE');
    await service.logout(token.slotId);
    expect((await failure(service.changePin(token.slotId, wrongPin, newPin))).code).toBe('TOKEN_PIN_INCORRECT');
    await service.changePin(token.slotId, pin, newPin);
    await service.logout(token.slotId);
    expect((await failure(service.login(token.slotId, pin))).code).toBe('TOKEN_PIN_INCORRECT');
    await service.login(token.slotId, newPin);
    expect(hsm.pkcs11Tool(['--token-label', token.label, '--login', '--pin', newPin, '--list-objects'])).toBeDefined();
  });

  it('unblocks with the SO PIN as PUK (so-login-init-pin): a wrong PUK is TOKEN_PUK_INCORRECT, the right one sets a new PIN', async () => {
    expect((await failure(service.unblockPin(token.slotId, wrongPin, unblockedPin))).code).toBe('TOKEN_PUK_INCORRECT');
    expect((await failure(service.unblockPin(token.slotId, soPin, '1'))).code).toBe('TOKEN_PIN_LEN_RANGE');
    const after = await service.unblockPin(token.slotId, soPin, unblockedPin);
    expect(after).toMatchObject({ locked: false });
    // The sitting ended for the SO login; the card works again with the new PIN, here and in pkcs11-tool.
    expect(await service.isLoggedIn(token.slotId)).toBe(false);
    expect((await failure(service.login(token.slotId, newPin))).code).toBe('TOKEN_PIN_INCORRECT');
    await service.login(token.slotId, unblockedPin);
    const key = await service.generateKeyPair(token.slotId, { type: 'EC', curve: 'P-256', label: 'after unblock' });
    expect(hsm.pkcs11Tool(['--token-label', token.label, '--login', '--pin', unblockedPin, '--list-objects', '--type', 'privkey'])).toContain(key.id);
  });

  it('refuses to unblock where native-config says only the vendor tool can', async () => {
    const vendor = createTokenService({ module: { path: hsm.modulePath, source: 'argument', name: 'Nexus Personal', pinUnblockStrategy: 'vendor-tool' } });
    const error = await failure(vendor.unblockPin(token.slotId, soPin, unblockedPin));
    expect(error.code).toBe('TOKEN_PIN_UNBLOCK_UNSUPPORTED');
    expect(error.details).toEqual({ strategy: 'vendor-tool' });
  });

  it('set-pin-unauthenticated calls C_SetPIN(PUK, new) in a session nobody is logged in to', async () => {
    // SoftHSM has no PUK: an unauthenticated C_SetPIN changes the user PIN (PKCS#11 v2.40 §5.6), so here the
    // current PIN plays the PUK. This runs the OpenSC strategy's calls; OpenSC itself would check the PUK.
    await service.close();
    const opensc = createTokenService({ module: { path: hsm.modulePath, source: 'argument', name: 'OpenSC (strategy only)', pinUnblockStrategy: 'set-pin-unauthenticated' } });
    try {
      expect((await failure(opensc.unblockPin(token.slotId, wrongPin, newPin))).code).toBe('TOKEN_PUK_INCORRECT');
      await opensc.unblockPin(token.slotId, unblockedPin, newPin);
      expect((await failure(opensc.login(token.slotId, unblockedPin))).code).toBe('TOKEN_PIN_INCORRECT');
      await opensc.login(token.slotId, newPin);
    } finally {
      await opensc.close();
    }
  });

  it('no PIN or PUK appears in any log line, error, detail, cause or stack trace', () => {
    expect(seenErrors.length).toBeGreaterThan(10);
    const dump = [
      ...logLines,
      ...seenErrors.map((e) => inspect(e, { depth: 20, showHidden: true })),
      ...seenErrors.map((e) => JSON.stringify(e instanceof ObnovaError ? e.toValue() : e)),
      ...seenErrors.flatMap((e) => {
        const stacks: string[] = [];
        for (let c: unknown = e; c instanceof Error; c = c.cause) stacks.push(String(c.stack), c.message);
        return stacks;
      }),
    ].join('\n');
    expect(dump).toContain('TOKEN_PIN_INCORRECT');
    for (const secret of secrets) expect(dump.includes(secret), `found ${secret.slice(0, 2)}…`).toBe(false);
  });
});
