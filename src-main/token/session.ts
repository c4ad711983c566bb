/**
 * Read-only sessions and object search. Object search and attribute reads go to pkcs11js directly
 * so that a search fetches up to 64 handles per C_FindObjects and an object's attributes come in one
 * C_GetAttributeValue (graphene asks for one handle per call).
 */
import graphene from 'graphene-pk11';
import type { Session, Slot } from 'graphene-pk11';
import type { AttributeResult, PKCS11, Template } from 'pkcs11js';
import { toTokenError } from './pkcs11-errors.js';

const { SessionFlag } = graphene;

/** What object search and attribute reads need of a session: graphene's Session and the card session both fit. */
export interface SessionLike {
  readonly lib: PKCS11;
  readonly handle: Buffer;
}

/** Handles fetched per C_FindObjects. */
const findBatch = 64;

/** Opens a read-only session (CKF_SERIAL_SESSION), runs `use`, and always closes the session. */
export async function withSession<T>(slot: Slot, use: (session: Session) => Promise<T> | T): Promise<T> {
  let session: Session;
  try {
    session = slot.open(SessionFlag.SERIAL_SESSION);
  } catch (error) {
    throw toTokenError(error, 'C_OpenSession');
  }
  try {
    return await use(session);
  } finally {
    try {
      session.close();
    } catch {
      // The token may be gone already; the session is then closed by the module.
    }
  }
}

/** C_FindObjectsInit/C_FindObjects/C_FindObjectsFinal; Final runs on failure too (PKCS#11 v2.40 §5.7). */
export function findObjects(session: SessionLike, template: Template, limit = Number.POSITIVE_INFINITY): Buffer[] {
  const lib = session.lib;
  try {
    lib.C_FindObjectsInit(session.handle, template);
  } catch (error) {
    throw toTokenError(error, 'C_FindObjectsInit');
  }
  const handles: Buffer[] = [];
  try {
    while (handles.length < limit) {
      const batch = lib.C_FindObjects(session.handle, Math.min(findBatch, limit - handles.length));
      handles.push(...batch);
      if (batch.length === 0) break;
    }
  } catch (error) {
    throw toTokenError(error, 'C_FindObjects');
  } finally {
    try {
      lib.C_FindObjectsFinal(session.handle);
    } catch {
      // A failed Final after a failed search adds nothing; the first error is the one reported.
    }
  }
  return handles;
}

/**
 * Reads several attributes of one object in one C_GetAttributeValue. When the module rejects the
 * whole template (an attribute invalid or sensitive, PKCS#11 v2.40 §5.7), falls back to one call per
 * attribute and returns null for the ones it cannot read.
 */
export function readAttributes(session: SessionLike, object: Buffer, types: readonly number[]): Map<number, Buffer | null> {
  const lib = session.lib;
  const out = new Map<number, Buffer | null>();
  try {
    const values: AttributeResult[] = lib.C_GetAttributeValue(session.handle, object, types.map((type) => ({ type })));
    for (const attr of values) out.set(attr.type, Buffer.isBuffer(attr.value) ? attr.value : null);
    return out;
  } catch (error) {
    const name = toTokenError(error, 'C_GetAttributeValue').details?.ckr;
    if (name !== 'CKR_ATTRIBUTE_TYPE_INVALID' && name !== 'CKR_ATTRIBUTE_SENSITIVE') throw toTokenError(error, 'C_GetAttributeValue');
  }
  for (const type of types) {
    try {
      const [attr] = lib.C_GetAttributeValue(session.handle, object, [{ type }]);
      out.set(type, attr && Buffer.isBuffer(attr.value) ? attr.value : null);
    } catch (error) {
      const name = toTokenError(error, 'C_GetAttributeValue').details?.ckr;
      if (name !== 'CKR_ATTRIBUTE_TYPE_INVALID' && name !== 'CKR_ATTRIBUTE_SENSITIVE') throw toTokenError(error, 'C_GetAttributeValue');
      out.set(type, null);
    }
  }
  return out;
}
