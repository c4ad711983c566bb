/** The DER of every certificate object on one token, for chain checks, exports and support bundles; no PIN needed. */
import type { Session } from 'graphene-pk11';
import pkcs11js from 'pkcs11js';
import { findObjects, readAttributes } from './session.js';

/** One X.509 certificate object: its slot, CKA_ID (lowercase hex) and CKA_VALUE. */
export interface CertificateValue {
  slotId: string;
  objectId: string;
  der: Uint8Array;
}

/** An X.509 certificate object as read: CKA_VALUE (null when unreadable), CKA_ID and CKA_LABEL. */
export interface CertificateObject {
  value: Buffer | null;
  id: Buffer;
  label: string;
}

/** CKA_VALUE, CKA_ID and CKA_LABEL of every X.509 certificate object, one C_GetAttributeValue each. */
export function readCertificateObjects(session: Session): CertificateObject[] {
  const handles = findObjects(session, [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE },
    { type: pkcs11js.CKA_CERTIFICATE_TYPE, value: pkcs11js.CKC_X_509 },
  ]);
  return handles.map((handle) => {
    const attrs = readAttributes(session, handle, [pkcs11js.CKA_VALUE, pkcs11js.CKA_ID, pkcs11js.CKA_LABEL]);
    return {
      value: attrs.get(pkcs11js.CKA_VALUE) ?? null,
      id: attrs.get(pkcs11js.CKA_ID) ?? Buffer.alloc(0),
      label: (attrs.get(pkcs11js.CKA_LABEL) ?? Buffer.alloc(0)).toString('utf8'),
    };
  });
}

/** The values of objects already read; objects without a value are skipped. */
export function certificateValuesOf(objects: readonly CertificateObject[], slotId: string): CertificateValue[] {
  const values = objects
    .filter((o): o is CertificateObject & { value: Buffer } => !!o.value && o.value.length > 0)
    .map((o) => ({ slotId, objectId: o.id.toString('hex'), der: new Uint8Array(o.value) }));
  // Modules return objects in no promised order: sort like the certificate listing does.
  return values.sort((a, b) => a.objectId.localeCompare(b.objectId));
}

/** CKA_ID and CKA_VALUE of each X.509 certificate object on the session's token. */
export function readCertificateValues(session: Session, slotId: string): CertificateValue[] {
  return certificateValuesOf(readCertificateObjects(session), slotId);
}
