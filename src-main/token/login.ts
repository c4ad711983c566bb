/**
 * C_Login, C_SetPIN and C_InitPIN: the only calls that see a PIN or PUK. The strings go from the caller
 * straight into the binding and into nothing else — no log, no error, no detail, no closure kept.
 */
import pkcs11js from 'pkcs11js';
import type { PKCS11 } from 'pkcs11js';
import { ObnovaError } from '../../src-shared/contract/errors.js';
import type { PinState } from '../../src-shared/contract/schemas/token.js';
import { traceOffThread } from './call-trace.js';
import type { CardSession } from './card-session.js';
import { type PinCall, pinCallOffThread } from './pin-off-thread.js';
import { toTokenError } from './pkcs11-errors.js';
import { pinStateOf } from './slot.js';

/** A PIN typed in the app, or "type it on the reader" (CKF_PROTECTED_AUTHENTICATION_PATH). */
export type PinInput = string | { pinPad: true };

/** A renewal step's login: a PinInput, or "the sitting is logged in already" (no PIN goes anywhere). */
export type LoginCredential = PinInput | { sitting: true };

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
  const state = pinRelated && !asPuk ? stateOrNull(session) : null;
  const extra = pinDetails(state);
  // Some middleware answers a blocked PIN with CKR_PIN_INCORRECT (OpenSC 0.23 when the card says 63C0) and
  // only its token flags tell: the holder must hear "locked, use the PUK", not "try again".
  if (code === 'TOKEN_PIN_INCORRECT' && state?.locked) code = 'TOKEN_PIN_LOCKED';
  // The cause is dropped on purpose: a binding error could one day carry its arguments.
  return new ObnovaError(code, coded.message, { ...coded.details, ...extra });
}

/**
 * Runs one PIN call. A `{ pinPad: true }` credential is entered on the reader (PKCS#11 v2.40 §5.6; needs
 * CKF_PROTECTED_AUTHENTICATION_PATH): that call waits for a person, so it runs on a worker thread
 * (pin-off-thread.ts) and the event loop stays free. Typed PINs go straight into the binding.
 */
async function runPinCall(session: CardSession, modulePath: string, call: PinCall): Promise<void> {
  const typed = Object.values(call).every((value) => value !== null);
  if (typed) {
    if (call.fn === 'C_Login') session.lib.C_Login(session.handle, call.userType, call.pin!);
    else if (call.fn === 'C_SetPIN') session.lib.C_SetPIN(session.handle, call.oldPin!, call.newPin!);
    else session.lib.C_InitPIN(session.handle, call.pin!);
    return;
  }
  if (!readPinState(session.lib, session.slotHandle).protectedAuthenticationPath) {
    throw new ObnovaError('INPUT_INVALID', 'this reader has no PIN pad (no CKF_PROTECTED_AUTHENTICATION_PATH)');
  }
  // The worker's call is listed in the trace (if any) as one call of this session's library.
  await traceOffThread(session.lib, call.fn, () => pinCallOffThread(modulePath, session.handle, call));
}

/** The PIN for a PinCall: the typed string, or null for "on the reader's pad". */
const onPadOr = (credential: PinInput): string | null => (typeof credential === 'string' ? credential : null);

const isInputInvalid = (error: unknown): error is ObnovaError => error instanceof ObnovaError && error.code === 'INPUT_INVALID';

/** C_Login as the user (typed or on the pad); already logged in is success. */
export async function loginUser(session: CardSession, credential: PinInput, modulePath: string, userType: number = pkcs11js.CKU_USER): Promise<void> {
  try {
    await runPinCall(session, modulePath, { fn: 'C_Login', userType, pin: onPadOr(credential) });
  } catch (error) {
    if (isInputInvalid(error)) throw error;
    if (toTokenError(error, 'C_Login').details?.ckr === 'CKR_USER_ALREADY_LOGGED_IN') return;
    throw pinError(error, 'C_Login', session);
  }
}

/**
 * C_SetPIN(old, new): changes the user PIN, in a logged-in or a public R/W session. On the pad both are
 * NULL and the reader asks for the current PIN and the new one (twice, compared by the reader).
 */
export async function setPin(session: CardSession, oldPin: PinInput, newPin: PinInput, modulePath: string): Promise<void> {
  try {
    await runPinCall(session, modulePath, { fn: 'C_SetPIN', oldPin: onPadOr(oldPin), newPin: onPadOr(newPin) });
  } catch (error) {
    if (isInputInvalid(error)) throw error;
    throw pinError(error, 'C_SetPIN', session);
  }
}

/** Unblock by C_Login(CKU_SO, PUK) + C_InitPIN(new) + C_Logout, in a session nobody else is logged in to. */
export async function unblockBySoLogin(session: CardSession, puk: PinInput, newPin: PinInput, modulePath: string): Promise<void> {
  try {
    await runPinCall(session, modulePath, { fn: 'C_Login', userType: pkcs11js.CKU_SO, pin: onPadOr(puk) });
  } catch (error) {
    if (isInputInvalid(error)) throw error;
    throw pinError(error, 'C_Login', session, true);
  }
  try {
    await runPinCall(session, modulePath, { fn: 'C_InitPIN', pin: onPadOr(newPin) });
  } catch (error) {
    if (isInputInvalid(error)) throw error;
    throw pinError(error, 'C_InitPIN', session);
  } finally {
    try {
      session.lib.C_Logout(session.handle);
    } catch {
      // The SO session ends with the session anyway.
    }
  }
}

/** Unblock by C_SetPIN(PUK, new) in a session that is not logged in (OpenSC's unblock); on the pad both are NULL. */
export async function unblockBySetPin(session: CardSession, puk: PinInput, newPin: PinInput, modulePath: string): Promise<void> {
  try {
    await runPinCall(session, modulePath, { fn: 'C_SetPIN', oldPin: onPadOr(puk), newPin: onPadOr(newPin) });
  } catch (error) {
    if (isInputInvalid(error)) throw error;
    throw pinError(error, 'C_SetPIN', session, true);
  }
}

/** The context-specific login a CKA_ALWAYS_AUTHENTICATE key needs right after C_SignInit (PKCS#11 v2.40 §4.9). */
export async function contextSpecificLogin(session: CardSession, credential: PinInput, modulePath: string): Promise<void> {
  try {
    if (typeof credential === 'string') session.lib.C_Login(session.handle, pkcs11js.CKU_CONTEXT_SPECIFIC, credential);
    else await traceOffThread(session.lib, 'C_Login', () => pinCallOffThread(modulePath, session.handle, { fn: 'C_Login', userType: pkcs11js.CKU_CONTEXT_SPECIFIC, pin: null }));
  } catch (error) {
    throw pinError(error, 'C_Login', session);
  }
}
