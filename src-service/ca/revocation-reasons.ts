/** CRL reason codes (RFC 5280 §5.3.1) accepted by `obnova-ca revoke --reason`. */
import { CRLReasons } from '@peculiar/asn1-x509';
import { ObnovaError } from '../../src-shared/contract/errors.js';

export const revocationReasons = [
  'unspecified',
  'keyCompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'privilegeWithdrawn',
] as const;
export type RevocationReason = (typeof revocationReasons)[number];

/** The reason name, or CA_REVOCATION_REASON_INVALID (CA compromise and holds are not end-entity reasons here). */
export function parseRevocationReason(value: string): RevocationReason {
  const found = revocationReasons.find((r) => r.toLowerCase() === value.toLowerCase());
  if (!found) {
    throw new ObnovaError('CA_REVOCATION_REASON_INVALID', `reason must be one of ${revocationReasons.join(', ')}`, { reason: value.slice(0, 40) });
  }
  return found;
}

/** The RFC 5280 enumeration value of a reason name. */
export function reasonCode(reason: string): CRLReasons {
  const code = (CRLReasons as unknown as Record<string, number>)[reason];
  return code ?? CRLReasons.unspecified;
}
