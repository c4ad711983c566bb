/**
 * A CMP request refused: the PKIFailureInfo bits and our stable error code, which the answer's
 * PKIStatusInfo carries (statusString = [code, sentence]). Every ObnovaError maps to bits here;
 * anything else becomes systemFailure with code INTERNAL and no details (never a stack trace).
 */
import { ObnovaError, type ErrorCode } from '../../../src-shared/contract/errors.js';
import type { FailureName } from '../../../src-shared/pki/cmp/cmp-asn1.js';

export class CmpFailure extends Error {
  constructor(
    readonly failInfo: FailureName,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const bitsByCode: Partial<Record<ErrorCode, FailureName>> = {
  CMP_MESSAGE_INVALID: 'badDataFormat',
  PKI_ALGORITHM_UNSUPPORTED: 'badAlg',
  RENEWAL_CERT_REVOKED: 'certRevoked',
  RENEWAL_CERT_UNKNOWN_ISSUER: 'signerNotTrusted',
  RENEWAL_CERT_NOT_ON_RECORD: 'signerNotTrusted',
  RENEWAL_CERT_EXPIRED: 'signerNotTrusted',
  RENEWAL_HOLDER_DATA_CHANGED: 'notAuthorized',
  RENEWAL_TOO_EARLY: 'notAuthorized',
  RENEWAL_PERSONAL_NUMBER_MISSING: 'notAuthorized',
  RENEWAL_LEGAL_ENTITY_PROCEDURE: 'notAuthorized',
  RENEWAL_ORDER_EXISTS: 'notAuthorized',
  RENEWAL_NOT_ELIGIBLE: 'notAuthorized',
  RENEWAL_KEY_TYPE_NOT_ACCEPTED: 'badCertTemplate',
  RENEWAL_CSR_SAME_KEY: 'badCertTemplate',
  CA_CSR_INVALID: 'badCertTemplate',
  CA_CSR_WEAK_KEY: 'badCertTemplate',
  CA_CSR_SUBJECT_MISMATCH: 'badCertTemplate',
  ORDER_NOT_FOUND: 'notAuthorized',
  ORDER_NOT_PAID: 'notAuthorized',
  ORDER_PATH_MISMATCH: 'notAuthorized',
  ORDER_TRANSITION_INVALID: 'notAuthorized',
  ORDER_ALREADY_ISSUED: 'duplicateCertReq',
  RENEWAL_OVERLOADED: 'systemUnavail',
  RENEWAL_RATE_LIMITED: 'systemUnavail',
  CA_HSM_BUSY: 'systemUnavail',
};

/** The failure to answer for `error`; unknown errors hide everything but INTERNAL. */
export function toCmpFailure(error: unknown): CmpFailure {
  if (error instanceof CmpFailure) return error;
  if (error instanceof ObnovaError) {
    const bit = bitsByCode[error.code];
    if (bit) return new CmpFailure(bit, error.code, error.message);
  }
  return new CmpFailure('systemFailure', 'INTERNAL', 'internal error');
}
