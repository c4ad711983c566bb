/**
 * What the renewal and the card tools do with a card, through one logged-in session per token per
 * sitting: login, PIN state, key generation, signing, certificate writing, PIN change and unblock.
 * Every call runs in its slot's queue; a card that disappears turns the call into TOKEN_REMOVED.
 */
import { ObnovaError } from '../../src-shared/contract/errors.js';
import type { PinState } from '../../src-shared/contract/schemas/token.js';
import type { Certificate } from '../../src-shared/pki/certificate.js';
import type { Signer, SignerAlgorithm } from '../../src-shared/pki/signer.js';
import { CardSession } from './card-session.js';
import { cardSigner } from './card-signer.js';
import { deleteObjects, writeCertificate, type WriteCertificateOptions } from './certificate-writer.js';
import { generateKeyPair, type GeneratedKeyPair, type KeyPairSpec } from './key-generation.js';
import type { ObjectKind } from './key-objects.js';
import { findKeyPairByLabel } from './key-pair-lookup.js';
import { checkPinLength, type LoginCredential, loginUser, type PinInput, readPinState, setPin, unblockBySetPin, unblockBySoLogin } from './login.js';
import { mechanismNames, mechanismsOf } from './mechanisms.js';
import type { Pkcs11Module } from './module.js';
import type { PinUnblockStrategy } from './native-config.js';
import type { SessionRegistry } from './session-registry.js';
import type { SlotQueues } from './slot-queue.js';
import { slotIdOf } from './slot.js';

/** The card API the rest of main calls (renewal journey, card tools). Slot IDs are decimal CK_SLOT_IDs. */
export interface CardOperations {
  /**
   * Logs in for the sitting; returns the PIN state after it. A PIN (typed or on the pad) always logs in
   * afresh, so a wrong one fails even in a sitting already logged in; `{ sitting: true }` checks the
   * sitting is still logged in (TOKEN_NOT_LOGGED_IN otherwise) and sends no PIN.
   */
  login(slotId: string, pin: LoginCredential): Promise<PinState>;
  /** Logs out and closes the slot's session. */
  logout(slotId: string): Promise<void>;
  isLoggedIn(slotId: string): Promise<boolean>;
  /** Fresh PIN flags and lengths, for "last try" warnings before the PIN is typed. */
  pinState(slotId: string): Promise<PinState>;
  /** CKM_* names the slot offers. */
  mechanisms(slotId: string): Promise<string[]>;
  generateKeyPair(slotId: string, spec: KeyPairSpec): Promise<GeneratedKeyPair>;
  /** The key pair labelled `label` (CKA_IDs put back in step if a stop left them apart), or null; needs the login. */
  findKeyPair(slotId: string, label: string): Promise<GeneratedKeyPair | null>;
  /** A PKI Signer over the private key with CKA_ID `keyId` (hex). */
  signer(slotId: string, keyId: string, algorithm: SignerAlgorithm, options?: { certificate?: Certificate; requestPin?: () => Promise<PinInput> }): Signer;
  /** Writes and verifies a certificate (and chain) next to its key pair; returns the shared CKA_ID (hex). */
  writeCertificate(slotId: string, der: Uint8Array, options: WriteCertificateOptions): Promise<{ id: string; written: boolean; chainWritten: number }>;
  /** Destroys the objects of one kind with this CKA_ID (explicit call only). */
  deleteObject(slotId: string, kind: ObjectKind, id: string): Promise<number>;
  /** C_SetPIN; `{ pinPad: true }` for both = typed on the reader's pad (the current PIN, then the new one twice). */
  changePin(slotId: string, oldPin: PinInput, newPin: PinInput): Promise<PinState>;
  /** Sets a new user PIN with the PUK, by the module's strategy from native-config (typed or on the pad); returns the PIN state after. */
  unblockPin(slotId: string, puk: PinInput, newPin: PinInput): Promise<PinState>;
}

export interface CardContext {
  /** The loaded module; never reinitializes while a slot job or card session exists. */
  module(): Pkcs11Module;
  queues: SlotQueues;
  registry: SessionRegistry;
  /** Makes tokens inserted since the last look visible (C_Finalize + C_Initialize on SoftHSM), when that ends no other work. */
  rescanFromSlotJob(): void;
  unblockStrategy: PinUnblockStrategy;
}

const removed = (slotId: string, cause?: unknown): ObnovaError =>
  new ObnovaError('TOKEN_REMOVED', 'the token was removed or its session ended', { slotId }, cause === undefined ? undefined : { cause });

/** The slot handle and token serial for a decimal slot ID, from C_GetSlotList(TRUE) + C_GetTokenInfo. */
function locate(module: Pkcs11Module, slotId: string): { slotHandle: Buffer; serial: string } {
  const slot = module.slots(true).find((s) => slotIdOf(s.handle) === slotId);
  if (!slot) {
    if (module.slots(false).some((s) => slotIdOf(s.handle) === slotId)) throw new ObnovaError('TOKEN_NOT_PRESENT', 'the slot holds no token', { slotId });
    throw new ObnovaError('TOKEN_SLOT_NOT_FOUND', 'no slot has this ID', { slotId });
  }
  let serial: string;
  try {
    serial = module.lib.C_GetTokenInfo(slot.handle).serialNumber.trim();
  } catch (error) {
    throw removed(slotId, error);
  }
  return { slotHandle: slot.handle, serial };
}

/** Whether the session's card is still in its slot and the session still open (C_GetTokenInfo + C_GetSessionInfo). */
export function stillPresent(session: CardSession): boolean {
  if (session.isClosed) return false;
  try {
    if (session.lib.C_GetTokenInfo(session.slotHandle).serialNumber.trim() !== session.serial) return false;
    session.lib.C_GetSessionInfo(session.handle);
    return true;
  } catch {
    return false;
  }
}

function logoutQuietly(session: CardSession): void {
  try {
    session.lib.C_Logout(session.handle);
  } catch {
    // Logged out already (or the card went): the login that follows says which.
  }
}

function requireLogin(session: CardSession): void {
  if (!session.isLoggedIn()) throw new ObnovaError('TOKEN_NOT_LOGGED_IN', 'log in to the token first', { slotId: session.slotId });
}

/** The card API over a module, its slot queues and its session registry. */
export function createCardOperations(ctx: CardContext): CardOperations {
  /** Runs `job` in the slot's queue with the sitting's session; a vanished card becomes TOKEN_REMOVED and ends the sitting. */
  function withCard<T>(slotId: string, job: (session: CardSession) => Promise<T> | T, mutates = false): Promise<T> {
    return ctx.queues.run(slotId, async () => {
      const module = ctx.module();
      let session = ctx.registry.get(slotId);
      if (!session || session.isClosed) {
        const { slotHandle, serial } = locateWithRescan(module, slotId);
        session = ctx.registry.acquire(module.lib, slotHandle, slotId, serial);
      }
      try {
        return await job(session);
      } catch (error) {
        const gone = (error instanceof ObnovaError && error.code === 'TOKEN_REMOVED') || !stillPresent(session);
        if (!gone) throw error;
        ctx.registry.close(slotId);
        const coded = error instanceof ObnovaError && error.code === 'TOKEN_REMOVED' ? error : removed(slotId, error);
        ctx.queues.cancel(slotId, coded);
        throw coded;
      } finally {
        // Objects may have changed even when the call failed half-way.
        if (mutates) session.certificateCache = null;
        ctx.registry.touch(slotId);
      }
    });
  }

  /** locate(), and once more after a rescan: the slot may hold a card inserted since the last listing. */
  function locateWithRescan(module: Pkcs11Module, slotId: string): { slotHandle: Buffer; serial: string } {
    try {
      return locate(module, slotId);
    } catch (error) {
      if (!(error instanceof ObnovaError) || (error.code !== 'TOKEN_SLOT_NOT_FOUND' && error.code !== 'TOKEN_NOT_PRESENT')) throw error;
      ctx.rescanFromSlotJob();
      return locate(module, slotId);
    }
  }

  const threadSafe = (): boolean => ctx.module().threadSafe;
  const modulePath = (): string => ctx.module().resolved.path;

  return {
    login: (slotId, pin) =>
      withCard(slotId, async (session) => {
        if (typeof pin === 'object' && 'sitting' in pin) requireLogin(session);
        else {
          // C_Login in a logged-in session answers CKR_USER_ALREADY_LOGGED_IN without looking at the PIN:
          // log out first, so the PIN entered now is the one checked.
          if (session.isLoggedIn()) logoutQuietly(session);
          await loginUser(session, pin, modulePath());
          session.loggedInOnPad = typeof pin !== 'string';
        }
        return readPinState(session.lib, session.slotHandle);
      }),

    logout: (slotId) => ctx.queues.run(slotId, () => ctx.registry.close(slotId)),

    isLoggedIn: (slotId) => ctx.queues.run(slotId, () => {
      const session = ctx.registry.get(slotId);
      return !!session && stillPresent(session) && session.isLoggedIn();
    }),

    pinState: (slotId) =>
      ctx.queues.run(slotId, () => {
        const session = ctx.registry.get(slotId);
        if (session && !session.isClosed) return readPinState(session.lib, session.slotHandle);
        const module = ctx.module();
        return readPinState(module.lib, locateWithRescan(module, slotId).slotHandle);
      }),

    mechanisms: (slotId) => withCard(slotId, (session) => mechanismNames(mechanismsOf(session))),

    generateKeyPair: (slotId, spec) =>
      withCard(
        slotId,
        (session) => {
          requireLogin(session);
          return generateKeyPair(session, spec, { threadSafe: threadSafe() });
        },
        true,
      ),

    findKeyPair: (slotId, label) =>
      withCard(slotId, (session) => {
        requireLogin(session);
        return findKeyPairByLabel(session, label);
      }),

    signer: (slotId, keyId, algorithm, options = {}) =>
      cardSigner(
        (job) =>
          withCard(slotId, (session) => {
            requireLogin(session);
            return job(session);
          }),
        Buffer.from(keyId, 'hex'),
        algorithm,
        { ...options, threadSafe, modulePath },
      ),

    writeCertificate: (slotId, der, options) =>
      withCard(
        slotId,
        (session) => {
          requireLogin(session);
          return writeCertificate(session, der, options);
        },
        true,
      ),

    deleteObject: (slotId, kind, id) =>
      withCard(
        slotId,
        (session) => {
          requireLogin(session);
          return deleteObjects(session, kind, id);
        },
        true,
      ),

    changePin: (slotId, oldPin, newPin) =>
      withCard(slotId, async (session) => {
        // On the pad the reader checks the new PIN itself, and C_SetPIN needs no login first (PKCS#11 v2.40 §5.6).
        if (typeof newPin === 'string') checkPinLength(newPin, readPinState(session.lib, session.slotHandle));
        if (typeof oldPin === 'string' && !session.isLoggedIn()) await loginUser(session, oldPin, modulePath());
        await setPin(session, oldPin, newPin, modulePath());
        return readPinState(session.lib, session.slotHandle);
      }),

    unblockPin: (slotId, puk, newPin) =>
      ctx.queues.run(slotId, async () => {
        const strategy = ctx.unblockStrategy;
        if (strategy === 'vendor-tool' || strategy === 'unsupported') {
          throw new ObnovaError('TOKEN_PIN_UNBLOCK_UNSUPPORTED', 'this middleware unblocks PINs only in its own tool, or not at all', { strategy });
        }
        // The SO cannot log in while the user is (CKR_USER_ANOTHER_ALREADY_LOGGED_IN): end the sitting first.
        ctx.registry.close(slotId);
        const module = ctx.module();
        const { slotHandle, serial } = locateWithRescan(module, slotId);
        if (typeof newPin === 'string') checkPinLength(newPin, readPinState(module.lib, slotHandle));
        const session = CardSession.open(module.lib, slotHandle, slotId, serial);
        try {
          if (strategy === 'so-login-init-pin') await unblockBySoLogin(session, puk, newPin, modulePath());
          else await unblockBySetPin(session, puk, newPin, modulePath());
        } finally {
          session.close();
        }
        return readPinState(module.lib, slotHandle);
      }),
  };
}
