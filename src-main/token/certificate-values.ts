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

/** CKA_ID and CKA_VALUE of each X.509 certificate object, one C_GetAttributeValue per object; objects without a value are skipped. */
export function readCertificateValues(session: Session, slotId: string): CertificateValue[] {
  const handles = findObjects(session, [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE },
    { type: pkcs11js.CKA_CERTIFICATE_TYPE, value: pkcs11js.CKC_X_509 },
  ]);
  const values: CertificateValue[] = [];
  for (const handle of handles) {
    const attrs = readAttributes(session, handle, [pkcs11js.CKA_VALUE, pkcs11js.CKA_ID]);
    const value = attrs.get(pkcs11js.CKA_VALUE);
    if (!value || value.length === 0) continue;
    values.push({ slotId, objectId: (attrs.get(pkcs11js.CKA_ID) ?? Buffer.alloc(0)).toString('hex'), der: new Uint8Array(value) });
  }
  // Modules return objects in no promised order: sort like the certificate listing does.
  return values.sort((a, b) => a.objectId.localeCompare(b.objectId));
}
