/**
 * C_Login, C_SetPIN and C_InitPIN: the only calls that see a PIN or PUK. The strings go from the caller
 * straight into the binding and into nothing else — no log, no error, no detail, no closure kept.
 */
import pkcs11js from 'pkcs11js';
import type { PKCS11 } from 'pkcs11js';
import { ObnovaError } from '../../src-shared/contract/errors.js';
import type { PinState } from '../../src-shared/contract/schemas/token.js';
import type { CardSession } from './card-session.js';
import { loginOffThread } from './login-off-thread.js';
import { toTokenError } from './pkcs11-errors.js';
import { pinStateOf } from './slot.js';

/** A PIN typed in the app, or "type it on the reader" (CKF_PROTECTED_AUTHENTICATION_PATH). */
export type PinInput = string | { pinPad: true };

/** C_GetTokenInfo's PIN flags and lengths, read fresh (the UI shows "last try" before the PIN is typed). */
export function readPinState(lib: PKCS11, slotHandle: Buffer): PinState {
  try {
    return pinStateOf(lib.C_GetTokenInfo(slotHandle));
  } catch (error) {
    throw toTokenError(error, 'C_GetTokenInfo');
  }
}

/** Safe details of the PIN state, added to PIN errors so the UI can say "1 try left" or "locked". */
function pinDetails(state: PinState | null): Record<string, boolean | number | null> {
  if (!state) return {};
  return {
    pinCountLow: state.countLow,
    pinFinalTry: state.finalTry,
    pinLocked: state.locked,
    // PKCS#11 gives flags, not a counter: only "final try" pins the number down.
    triesLeft: state.locked ? 0 : state.finalTry ? 1 : null,
  };
}

function stateOrNull(session: CardSession): PinState | null {
  try {
    return readPinState(session.lib, session.slotHandle);
  } catch {
    return null;
  }
}

/** Checks a new PIN against the token's CK_TOKEN_INFO ulMinPinLen/ulMaxPinLen (0 = unknown) before the card sees it. */
export function checkPinLength(pin: string, state: PinState): void {
  const length = Buffer.byteLength(pin, 'utf8');
  if ((state.minLength > 0 && length < state.minLength) || (state.maxLength > 0 && length > state.maxLength)) {
    throw new ObnovaError('TOKEN_PIN_LEN_RANGE', 'the new PIN is shorter or longer than the token allows', {
      minLength: state.minLength,
      maxLength: state.maxLength,
    });
  }
}

/** Turns a failed PIN call into a coded error carrying the PIN state after the failure. */
function pinError(error: unknown, operation: string, session: CardSession, asPuk = false): ObnovaError {
  const coded = toTokenError(error, operation);
  let code = coded.code;
  if (asPuk && code === 'TOKEN_PIN_INCORRECT') code = 'TOKEN_PUK_INCORRECT';
  if (asPuk && code === 'TOKEN_PIN_LOCKED') code = 'TOKEN_PUK_LOCKED';
  const pinRelated = ['TOKEN_PIN_INCORRECT', 'TOKEN_PIN_LOCKED', 'TOKEN_PIN_LEN_RANGE', 'TOKEN_PIN_EXPIRED', 'TOKEN_PIN_INVALID'].includes(coded.code);
  const extra = pinRelated && !asPuk ? pinDetails(stateOrNull(session)) : {};
  // The cause is dropped on purpose: a binding error could one day carry its arguments.
  return new ObnovaError(code, coded.message, { ...coded.details, ...extra });
}

/**
 * C_Login as the user; already logged in is success. With `{ pinPad: true }` the PIN is passed as NULL and
 * the reader asks for it (PKCS#11 v2.40 §5.6, C_Login; needs CKF_PROTECTED_AUTHENTICATION_PATH) — that
 * call waits for a person, so it runs on a worker thread (login-off-thread.ts) and the event loop stays free.
 */
export async function loginUser(session: CardSession, credential: PinInput, modulePath: string, userType: number = pkcs11js.CKU_USER): Promise<void> {
  try {
    if (typeof credential === 'string') {
      session.lib.C_Login(session.handle, userType, credential);
      return;
    }
    const state = readPinState(session.lib, session.slotHandle);
    if (!state.protectedAuthenticationPath) throw new ObnovaError('INPUT_INVALID', 'this reader has no PIN pad (no CKF_PROTECTED_AUTHENTICATION_PATH)');
    await loginOffThread(modulePath, session.handle, null, userType);
  } catch (error) {
    if (error instanceof ObnovaError && error.code === 'INPUT_INVALID') throw error;
    if (toTokenError(error, 'C_Login').details?.ckr === 'CKR_USER_ALREADY_LOGGED_IN') return;
    throw pinError(error, 'C_Login', session);
  }
}

/** C_SetPIN(old, new) in the (logged-in) session: changes the user PIN. */
export function setPin(session: CardSession, oldPin: string, newPin: string): void {
  try {
    session.lib.C_SetPIN(session.handle, oldPin, newPin);
  } catch (error) {
    throw pinError(error, 'C_SetPIN', session);
  }
}

/** Unblock by C_Login(CKU_SO, PUK) + C_InitPIN(new) + C_Logout, in a session nobody else is logged in to. */
export function unblockBySoLogin(session: CardSession, puk: string, newPin: string): void {
  try {
    session.lib.C_Login(session.handle, pkcs11js.CKU_SO, puk);
  } catch (error) {
    throw pinError(error, 'C_Login', session, true);
  }
  try {
    session.lib.C_InitPIN(session.handle, newPin);
  } catch (error) {
    throw pinError(error, 'C_InitPIN', session);
  } finally {
    try {
      session.lib.C_Logout(session.handle);
    } catch {
      // The SO session ends with the session anyway.
    }
  }
}

/** Unblock by C_SetPIN(PUK, new) in a session that is not logged in (OpenSC's unblock). */
export function unblockBySetPin(session: CardSession, puk: string, newPin: string): void {
  try {
    session.lib.C_SetPIN(session.handle, puk, newPin);
  } catch (error) {
    throw pinError(error, 'C_SetPIN', session, true);
  }
}

/** The context-specific login a CKA_ALWAYS_AUTHENTICATE key needs right after C_SignInit (PKCS#11 v2.40 §4.9). */
export async function contextSpecificLogin(session: CardSession, credential: PinInput, modulePath: string): Promise<void> {
  try {
    if (typeof credential === 'string') session.lib.C_Login(session.handle, pkcs11js.CKU_CONTEXT_SPECIFIC, credential);
    else await loginOffThread(modulePath, session.handle, null, pkcs11js.CKU_CONTEXT_SPECIFIC);
  } catch (error) {
    throw pinError(error, 'C_Login', session);
  }
}
