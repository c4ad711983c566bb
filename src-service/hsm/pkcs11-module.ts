/**
 * PKCS#11 modules for the service: each library loaded and C_Initialize'd once per process,
 * tokens found by label, and SoftHSM-style token initialisation.
 */
import * as graphene from 'graphene-pk11';
import * as pkcs11 from 'pkcs11js';
import { ObnovaError } from '../../src-shared/contract/errors.js';

const loaded = new Map<string, graphene.Module>();

/** The module at `path`, loaded and initialised once; a second load would return CKR_CRYPTOKI_ALREADY_INITIALIZED. */
export function loadModule(path: string): graphene.Module {
  const existing = loaded.get(path);
  if (existing) return existing;
  let mod: graphene.Module;
  try {
    mod = graphene.Module.load(path, path);
  } catch (cause) {
    throw new ObnovaError('TOKEN_MODULE_NOT_FOUND', `cannot load PKCS#11 module ${path}`, { module: path }, { cause });
  }
  try {
    // pkcs11js runs C_Sign & co. on worker threads and the CA signs on several sessions at once,
    // so the library must lock (PKCS#11 v2.40 §5.4 C_Initialize, CKF_OS_LOCKING_OK).
    mod.initialize({ flags: pkcs11.CKF_OS_LOCKING_OK });
  } catch (cause) {
    if (!(cause instanceof pkcs11.Pkcs11Error && cause.code === pkcs11.CKR_CRYPTOKI_ALREADY_INITIALIZED)) {
      throw new ObnovaError('TOKEN_MODULE_INIT_FAILED', `C_Initialize failed for ${path}`, { module: path }, { cause });
    }
  }
  loaded.set(path, mod);
  return mod;
}

/** Finalises every module this process loaded (CLI exit, test teardown). */
export function unloadAllModules(): void {
  for (const mod of loaded.values()) {
    try {
      mod.finalize();
    } catch {
      // already finalised or the module refuses: nothing left to release
    }
  }
  loaded.clear();
}

/** Slots with a token present, with the token's label and serial (padding removed). */
export function listTokens(mod: graphene.Module): { slot: graphene.Slot; label: string; serial: string; initialized: boolean }[] {
  const slots = mod.getSlots(true);
  const out = [];
  for (let i = 0; i < slots.length; i++) {
    const slot = slots.items(i);
    const token = slot.getToken();
    out.push({
      slot,
      label: token.label,
      serial: token.serialNumber,
      initialized: (token.flags & graphene.TokenFlag.TOKEN_INITIALIZED) !== 0,
    });
  }
  return out;
}

/** The slot whose token has this label, or null. */
export function findSlotByLabel(mod: graphene.Module, label: string): graphene.Slot | null {
  return listTokens(mod).find((t) => t.initialized && t.label === label)?.slot ?? null;
}

/**
 * Initialises a fresh token in the first uninitialised slot and sets its user PIN
 * (PKCS#11 v2.40 §5.6 C_InitToken, §5.7 C_InitPIN). The SO PIN is the card's PUK.
 */
export function initToken(mod: graphene.Module, label: string, soPin: string, userPin: string): graphene.Slot {
  const free = listTokens(mod).find((t) => !t.initialized);
  if (!free) throw new ObnovaError('CA_CARD_TOKEN_NOT_FOUND', 'no uninitialised token slot is available', { label });
  // graphene's Slot.initToken trips over pkcs11js 2 returning nothing; call the function directly.
  const lib = (free.slot as unknown as { lib: pkcs11.PKCS11 }).lib;
  lib.C_InitToken(free.slot.handle, soPin, label);
  const slot = findSlotByLabel(mod, label);
  if (!slot) throw new ObnovaError('CA_CARD_TOKEN_NOT_FOUND', `token ${label} did not appear after C_InitToken`, { label });
  const session = slot.open(graphene.SessionFlag.SERIAL_SESSION | graphene.SessionFlag.RW_SESSION);
  try {
    session.login(soPin, graphene.UserType.SO);
    session.initPin(userPin);
    session.logout();
  } finally {
    session.close();
  }
  return slot;
}
