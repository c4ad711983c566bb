/**
 * The read-write session the app keeps with one token for a sitting: opened on first use, logged in
 * once, closed on removal, idle timeout or quit (PKCS#11 v2.40 §5.6 session management).
 */
import pkcs11js from 'pkcs11js';
import type { PKCS11 } from 'pkcs11js';
import type { CertificateEntry } from '../../src-shared/contract/schemas/certificate.js';
import { toTokenError } from './pkcs11-errors.js';
import type { SessionLike } from './session.js';

/** CK_STATE values (PKCS#11 v2.40 §3.6, Table 9); pkcs11js does not export them. */
const CKS_RO_USER_FUNCTIONS = 1;
const CKS_RW_USER_FUNCTIONS = 3;

/** One open R/W session on one token. */
export class CardSession implements SessionLike {
  readonly lib: PKCS11;
  readonly handle: Buffer;
  readonly slotHandle: Buffer;
  readonly slotId: string;
  /** The token serial at opening; a different serial in the slot means another card. */
  readonly serial: string;
  /** C_GetMechanismList of the slot, read once per session (the card does not change under it). */
  mechanismCache: ReadonlySet<number> | null = null;
  /** The token's certificate list, kept for the sitting until this app changes the token's objects. */
  certificateCache: CertificateEntry[] | null = null;
  /** The sitting's login was typed on the reader's PIN pad: a key that wants the PIN again per signature asks the pad too. */
  loggedInOnPad = false;
  private closed = false;

  private constructor(lib: PKCS11, slotHandle: Buffer, slotId: string, serial: string, handle: Buffer) {
    this.lib = lib;
    this.slotHandle = slotHandle;
    this.slotId = slotId;
    this.serial = serial;
    this.handle = handle;
  }

  /** C_OpenSession(CKF_SERIAL_SESSION | CKF_RW_SESSION). */
  static open(lib: PKCS11, slotHandle: Buffer, slotId: string, serial: string): CardSession {
    let handle: Buffer;
    try {
      handle = lib.C_OpenSession(slotHandle, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
    } catch (error) {
      throw toTokenError(error, 'C_OpenSession');
    }
    return new CardSession(lib, slotHandle, slotId, serial, handle);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** True when the session is in a user state (CKS_RW_USER_FUNCTIONS); throws TOKEN_REMOVED when the session is gone. */
  isLoggedIn(): boolean {
    try {
      const state = this.lib.C_GetSessionInfo(this.handle).state;
      return state === CKS_RW_USER_FUNCTIONS || state === CKS_RO_USER_FUNCTIONS;
    } catch (error) {
      throw toTokenError(error, 'C_GetSessionInfo');
    }
  }

  /** C_Logout (when logged in) + C_CloseSession; never throws: the token may be gone already. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.lib.C_Logout(this.handle);
    } catch {
      // CKR_USER_NOT_LOGGED_IN or a removed token: nothing left to log out of.
    }
    try {
      this.lib.C_CloseSession(this.handle);
    } catch {
      // A removed token closed the session already.
    }
  }
}
